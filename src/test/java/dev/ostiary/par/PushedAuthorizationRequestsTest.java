package dev.ostiary.par;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * Pushed authorization requests (RFC 9126) end to end, with Nimbus as the client: a client that must
 * push is refused a plain request (to its redirect URI, RFC 9126 §5), a pushed request is honoured once,
 * and request URIs that are not ours, not this client's or used already never lead to a redirect.
 */
class PushedAuthorizationRequestsTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/par-callback";

    private String clientId;
    private ClientSecretBasic credentials;
    private UserAgent agent;

    @BeforeEach
    void pushingClientAndSignedInUser() throws Exception {
        clientId = "par-" + UUID.randomUUID().toString().substring(0, 8);
        String secretHash = jdbc.sql("select secret_hash from client where client_id = 'web-app'").query(String.class)
                .single();
        jdbc.sql("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris,
                    scopes, require_consent, require_pushed_authorization_requests)
                values (gen_random_uuid(), ?, 'Pushing app', ?, '{client_secret_basic}', '{authorization_code}',
                    ?::text[], '{read}', false, true)""").params(clientId, secretHash, "{" + CALLBACK + "}").update();
        credentials = new ClientSecretBasic(new ClientID(clientId), new Secret("web-secret"));
        agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
    }

    private URI push(ClientSecretBasic as, String state) throws Exception {
        AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE, as.getClientID())
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope("read")).state(new State(state))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(
                new PushedAuthorizationRequest(uri("/oauth2/par"), as, request).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("PAR push").isTrue();
        return response.toSuccessResponse().getRequestURI();
    }

    private HttpResponse<String> authorizeWith(String clientId, String requestUri) throws Exception {
        return agent.follow("/oauth2/authorize?client_id=" + clientId + "&request_uri="
                + java.net.URLEncoder.encode(requestUri, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void whenClientMustPushAndSendsAPlainRequestThenInvalidRequestAtItsRedirectUri() throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=plain&code_challenge_method=S256"
                + "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43));

        String location = UserAgent.location(response);
        assertThat(location).startsWith(CALLBACK);
        assertThat(UserAgent.parameters(location, false)).containsEntry("error", "invalid_request")
                .containsEntry("state", "plain").containsEntry("iss", baseUrl()).doesNotContainKey("code");
    }

    @Test
    void whenPushedThenAuthorizedOnceByRequestUri() throws Exception {
        URI requestUri = push(credentials, "pushed");

        String location = UserAgent.location(authorizeWith(clientId, requestUri.toString()));

        assertThat(location).startsWith(CALLBACK);
        assertThat(UserAgent.parameters(location, false)).containsKey("code").containsEntry("state", "pushed");
    }

    @Test
    void whenRequestUriReusedThenErrorPageAndNoRedirect() throws Exception {
        URI requestUri = push(credentials, "reused");
        assertThat(UserAgent.location(authorizeWith(clientId, requestUri.toString()))).contains("code=");

        HttpResponse<String> replay = authorizeWith(clientId, requestUri.toString());

        assertRefusedOnErrorPage(replay);
    }

    @Test
    void whenRequestUriOfAnotherClientThenErrorPageAndNoRedirect() throws Exception {
        URI requestUri = push(credentials, "stolen");

        assertRefusedOnErrorPage(authorizeWith("web-app", requestUri.toString()));
    }

    @Test
    void whenRequestUriIsAnHttpsUrlOrUnknownThenErrorPageAndNothingFetched() throws Exception {
        assertRefusedOnErrorPage(authorizeWith(clientId, "https://attacker.example/request.jwt"));
        assertRefusedOnErrorPage(authorizeWith(clientId,
                PushedAuthorizationRequestRules.OUR_REQUEST_URIS + "forged___" + System.currentTimeMillis()));
    }

    @Test
    void whenFapiClientRowSaysNoParThenAPlainRequestIsStillRefused() throws Exception {
        String fapiClient = "fapi-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, redirect_uris, scopes,
                    require_consent, jwks_uri, fapi2)
                values (gen_random_uuid(), ?, 'FAPI app', '{private_key_jwt}', '{authorization_code}',
                    ?::text[], '{read}', false, 'https://fapi.example/jwks', true)""")
                .params(fapiClient, "{" + CALLBACK + "}").update();

        String location = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id="
                + fapiClient + "&redirect_uri=" + CALLBACK + "&scope=read&state=f&code_challenge_method=S256"
                + "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43)));

        assertThat(UserAgent.parameters(location, false)).containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
    }

    @Test
    void whenDemoFapiClientSendsAPlainRequestThenRefused() throws Exception {
        String callback = "http://127.0.0.1:18999/fapi-callback";
        String location = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id=demo-fapi"
                + "&redirect_uri=" + callback + "&scope=read&state=d&code_challenge_method=S256"
                + "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43)));

        assertThat(location).startsWith(callback);
        assertThat(UserAgent.parameters(location, false)).containsEntry("error", "invalid_request");
        assertThat(jdbc.sql("select fapi2 and require_dpop and require_pushed_authorization_requests from client"
                + " where client_id = 'demo-fapi'").query(Boolean.class).single()).isTrue();
    }

    private static void assertRefusedOnErrorPage(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("invalid_request_uri");
    }

    @Test
    void whenAPlainRequestCarriesAnUnsignedRequestObjectThenRefusedNotIgnored() throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=jar&code_challenge_method=S256"
                + "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43)
                + "&request=eyJhbGciOiJub25lIn0.e30.");

        String location = UserAgent.location(response);
        assertThat(location).startsWith(CALLBACK);
        // jar/ verifies every request object (RFC 9101 §6.3): an unsigned one is refused, never ignored
        assertThat(UserAgent.parameters(location, false)).containsEntry("error", "invalid_request_object")
                .containsEntry("state", "jar").doesNotContainKey("code");
    }
}
