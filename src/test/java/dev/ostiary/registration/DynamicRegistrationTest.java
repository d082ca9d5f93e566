package dev.ostiary.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/** RFC 7591 registration and RFC 7592 management, through the Nimbus SDK's registration client. */
class DynamicRegistrationTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private BearerAccessToken initialToken() throws Exception {
        String admin = TokensClient.adminToken(baseUrl());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin/api/registration-tokens"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\":600}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        return new BearerAccessToken(response.body().replaceAll(".*\"initialAccessToken\":\"([^\"]+)\".*", "$1"));
    }

    private URI registrationEndpoint() throws Exception {
        String metadata = http.send(HttpRequest.newBuilder(uri("/.well-known/oauth-authorization-server")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return URI.create(com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata.parse(metadata)
                .getRegistrationEndpointURI().toString());
    }

    @Test
    void registerReadUpdateDeleteWithTheTokensTheServerHandsOut() throws Exception {
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName("Registered service");
        metadata.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
        metadata.setScope(new Scope("read"));
        URI endpoint = registrationEndpoint();
        assertThat(endpoint.toString()).isEqualTo(baseUrl() + "/oauth2/register");

        BearerAccessToken initial = initialToken();
        HTTPResponse registered = new ClientRegistrationRequest(endpoint, metadata, initial).toHTTPRequest().send();
        assertThat(registered.getStatusCode()).as(registered.getBody()).isEqualTo(201);
        ClientInformation client = ClientRegistrationResponse.parse(registered).toSuccessResponse().getClientInformation();
        assertThat(client.getSecret()).isNotNull();
        assertThat(client.getRegistrationAccessToken()).isNotNull();

        String token = TokensClient.clientCredentials(baseUrl(), client.getID().getValue(),
                client.getSecret().getValue(), "read");
        assertThat(token).isNotBlank();

        // the initial access token was for one registration only
        HTTPResponse again = new ClientRegistrationRequest(endpoint, metadata, initial).toHTTPRequest().send();
        assertThat(again.getStatusCode()).isEqualTo(401);

        HTTPResponse read = new ClientReadRequest(client.getRegistrationURI(), client.getRegistrationAccessToken())
                .toHTTPRequest().send();
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(ClientRegistrationResponse.parse(read).toSuccessResponse().getClientInformation().getMetadata()
                .getName()).isEqualTo("Registered service");

        ClientMetadata changed = new ClientMetadata(metadata);
        changed.setName("Renamed service");
        changed.setScope(new Scope("read", "write"));
        HTTPResponse updated = new ClientUpdateRequest(client.getRegistrationURI(), client.getID(),
                client.getRegistrationAccessToken(), changed, client.getSecret()).toHTTPRequest().send();
        assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
        ClientInformation afterUpdate = ClientRegistrationResponse.parse(updated).toSuccessResponse().getClientInformation();
        assertThat(afterUpdate.getMetadata().getName()).isEqualTo("Renamed service");
        assertThat(TokensClient.clientCredentials(baseUrl(), client.getID().getValue(), client.getSecret().getValue(),
                "write")).isNotBlank();

        // the update rotated the registration access token
        assertThat(new ClientReadRequest(client.getRegistrationURI(), client.getRegistrationAccessToken())
                .toHTTPRequest().send().getStatusCode()).isEqualTo(401);
        BearerAccessToken current = afterUpdate.getRegistrationAccessToken();
        HTTPResponse deleted = new ClientDeleteRequest(client.getRegistrationURI(), current).toHTTPRequest().send();
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertThat(new ClientReadRequest(client.getRegistrationURI(), current).toHTTPRequest().send().getStatusCode())
                .isEqualTo(401);
    }

    @Test
    void badMetadataGetsRfc7591ErrorsAndNoTokenGetsInvalidToken() throws Exception {
        URI endpoint = registrationEndpoint();
        ClientMetadata metadata = new ClientMetadata();
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE));
        metadata.setRedirectionURIs(Set.of(URI.create("http://evil.example/cb")));
        HTTPResponse badRedirect = new ClientRegistrationRequest(endpoint, metadata, initialToken()).toHTTPRequest().send();
        assertThat(badRedirect.getStatusCode()).isEqualTo(400);
        assertThat(ClientRegistrationErrorResponse.parse(badRedirect).getErrorObject().getCode())
                .isEqualTo("invalid_redirect_uri");

        ClientMetadata legacy = new ClientMetadata();
        legacy.setGrantTypes(Set.of(GrantType.PASSWORD));
        HTTPResponse legacyGrant = new ClientRegistrationRequest(endpoint, legacy, initialToken()).toHTTPRequest().send();
        assertThat(ClientRegistrationErrorResponse.parse(legacyGrant).getErrorObject().getCode())
                .isEqualTo("invalid_client_metadata");

        HTTPResponse noToken = new ClientRegistrationRequest(endpoint, metadata, null).toHTTPRequest().send();
        assertThat(noToken.getStatusCode()).isEqualTo(401);
        assertThat(noToken.getHeaderValue("WWW-Authenticate")).contains("invalid_token");
    }
}
