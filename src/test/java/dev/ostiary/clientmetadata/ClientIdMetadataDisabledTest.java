package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/** Off by default: a URL client id is an unknown client as any other, nothing is fetched, nothing advertised. */
class ClientIdMetadataDisabledTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    private DocumentHost host;

    @BeforeEach
    void start() throws Exception {
        host = DocumentHost.start();
        host.serve("/tool.json", host.publicClient("/tool.json", CALLBACK), null);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void whenNotEnabledThenNotAdvertisedAndUrlClientIdIsUnknownWithoutAFetch() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(baseUrl()));
        assertThat(metadata.getCustomParameter("client_id_metadata_document_supported")).isNull();

        String clientId = host.url("/tool.json");
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        HttpResponse<String> page = agent.follow("/oauth2/authorize?response_type=code&client_id="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8) + "&redirect_uri=" + CALLBACK
                + "&scope=openid&state=s" + Pkce.s256().query());
        assertThat(UserAgent.isRedirect(page)).isFalse();
        assertThat(page.statusCode()).isEqualTo(400);

        HTTPResponse token = new TokenRequest(uri("/oauth2/token"), new ClientID(clientId),
                new AuthorizationCodeGrant(new AuthorizationCode("x"), URI.create(CALLBACK), new CodeVerifier()))
                .toHTTPRequest().send();
        assertThat(token.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(token).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(host.hits("/tool.json")).isZero();
    }
}
