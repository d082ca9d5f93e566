package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TokensClient;
import dev.ostiary.support.AttackerServer;
import dev.ostiary.support.ForgedTokens;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * RFC 9700, the OAuth 2.0 Security Best Current Practice, as a checklist: one entry per rule. Where a
 * grant's own test proves a rule, this index points at it instead of repeating it; the tests here are
 * the rules no grant test covers. Resource-server rules are checked against Ostiary's own resource
 * servers (the admin API and introspection); the sample resource server has its own copy of them
 * ({@code SampleApiRejectsForgedTokensTest}).
 * <ul>
 * <li>§2.1 / §4.1 exact redirect URI matching: {@code AuthorizationCodeGrantTest
 * .whenRedirectUriNotRegisteredExactlyThenErrorPageAndNoRedirect}, {@code ImplicitGrantTest}, unit
 * {@code RedirectUriMatchingTest}, {@code ClientRulesTest} (what may be registered);</li>
 * <li>§4.11 no open redirector: {@link #noOpenRedirectOnErrorsForUnknownClientsOrUnregisteredRedirects};</li>
 * <li>§2.1.1 / §4.8 PKCE downgrade: {@code AuthorizationCodeGrantTest
 * .whenCodeIssuedWithChallengeIsRedeemedWithoutVerifierThenRefused} and
 * {@link #pkceDowngradeRefusedCodeIssuedWithoutChallengeRejectsAVerifier};</li>
 * <li>§4.5 / §2.2.1 single-use codes, revocation on reuse: {@code AuthorizationCodeGrantTest
 * .whenCodeRedeemedTwiceThenInvalidGrantAndFirstTokensRevoked};</li>
 * <li>§4.14.2 refresh token rotation, family revocation on reuse: {@code PasswordGrantTest
 * .whenRotatedRefreshTokenReusedThenWholeFamilyRevoked}; sender-constrained: {@code DPoPTest};</li>
 * <li>§4.4 mix-up (RFC 9207 iss): {@link #issInEveryAuthorizationResponseAndAdvertisedInMetadata};</li>
 * <li>§2.3 / §4.10 audience restriction: {@code ClientCredentialsGrantTest
 * .whenClientSecretBasicThenTokenVerifiesAgainstJwksWithRfc9068Claims}, {@code AdminApiAudienceTest},
 * unit {@code ScopeCatalogTest};</li>
 * <li>§2.1.2 implicit issues no refresh token: {@code ImplicitGrantTest
 * .whenApprovedThenShortLivedTokenInFragmentWithStateAndIssAndNoRefreshToken};</li>
 * <li>§2.7 / RFC 8725 algorithms fixed by the server, no key from the token: the two tests below;</li>
 * <li>§4.7 CSRF (state): {@link #stateIsEchoedUnchanged}; RFC 6749 §5.1 no-store; §4.16 framing.</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700">RFC 9700</a>
 */
class Rfc9700ChecklistTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    private static final ClientSecretBasic WEB_APP = new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret"));
    private final HttpClient http = HttpClient.newHttpClient();

    // ---- helpers ----

    /** A code flow by a fresh user: a client that requires consent must show the page, others must not. */
    private String code(UserAgent agent, String clientId, String redirectUri, String scope, String state,
            String pkceQuery, boolean consentPage) throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + redirectUri + "&scope=" + scope + "&state=" + state + pkceQuery);
        if (consentPage) {
            assertThat(response.body()).contains("submit-consent");
            response = agent.answerConsent(response.body(), clientId, List.of(scope.split("%20")));
        }
        return UserAgent.location(response);
    }

    private HTTPResponse redeem(ClientSecretBasic client, String code, String redirectUri, CodeVerifier verifier)
            throws Exception {
        return new TokenRequest(uri("/oauth2/token"), client,
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(redirectUri), verifier))
                .toHTTPRequest().send();
    }

    private int adminApi(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/keys")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String error(HTTPResponse response) throws Exception {
        return TokenErrorResponse.parse(response).getErrorObject().getCode();
    }

    // ---- §4.11: open redirectors ----

    @Test
    void noOpenRedirectOnErrorsForUnknownClientsOrUnregisteredRedirects() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        for (String request : List.of(
                "/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri=https://evil.example/&state=s",
                "/oauth2/authorize?response_type=token&client_id=nobody&redirect_uri=https://evil.example/&state=s",
                "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=https://evil.example/&scope=bogus",
                "/oauth2/authorize?response_type=token&client_id=spa&redirect_uri=https://evil.example/&scope=bogus")) {
            HttpResponse<String> response = agent.get(request);
            assertThat(response.headers().firstValue("Location").orElse(""))
                    .as(request).doesNotContain("evil.example");
        }
    }

    // ---- §2.1.1 / §4.8: PKCE (the other half: AuthorizationCodeGrantTest) ----

    @Test
    void pkceDowngradeRefusedCodeIssuedWithoutChallengeRejectsAVerifier() throws Exception {
        String clientId = "no-pkce-" + UUID.randomUUID().toString().substring(0, 6);
        ClientSecretBasic client = new ClientSecretBasic(new ClientID(clientId), new Secret("web-secret"));
        String secretHash = jdbc.sql("select secret_hash from client where client_id = 'web-app'").query(String.class)
                .single();
        jdbc.sql("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris,
                    scopes, require_pkce, require_consent)
                values (gen_random_uuid(), ?, 'Legacy web app', ?, '{client_secret_basic}', '{authorization_code}',
                    '{http://127.0.0.1:18999/legacy}', '{read}', false, false)""").params(clientId, secretHash).update();
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        String redirect = "http://127.0.0.1:18999/legacy";
        String code = UserAgent.parameters(code(agent, clientId, redirect, "read", "p2", "", false), false).get("code");
        assertThat(code).isNotNull();
        assertThat(error(redeem(client, code, redirect, new CodeVerifier()))).isEqualTo("invalid_grant");
    }

    // ---- §4.4 (RFC 9207): mix-up ----

    @Test
    void issInEveryAuthorizationResponseAndAdvertisedInMetadata() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        String success = code(agent, "web-app", CALLBACK, "read", "i1", Pkce.s256().query(), true);
        String failure = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=i2"));
        assertThat(UserAgent.parameters(success, false)).containsEntry("iss", baseUrl());
        assertThat(UserAgent.parameters(failure, false)).containsEntry("iss", baseUrl()).containsKey("error");
        String metadata = http.send(HttpRequest.newBuilder(uri("/.well-known/oauth-authorization-server")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metadata).contains("\"authorization_response_iss_parameter_supported\":true");
    }

    // ---- §2.7 / RFC 8725: algorithms ----

    @Test
    void algFixedByServerNoneAndHmacWithPublicKeyAndUnknownKidRejected() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        for (String token : ForgedTokens.algorithmAttacks(baseUrl() + "/oauth2/jwks", claims)) {
            assertThat(adminApi(token)).as(token).isEqualTo(401);
            assertThat(TokensClient.active(baseUrl(), token)).as(token).isFalse();
        }
    }

    @Test
    void jkuX5uAndEmbeddedJwkHeadersAreNeverFollowed() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        try (AttackerServer attacker = AttackerServer.start()) {
            for (String token : ForgedTokens.keyReferenceAttacks(claims, attacker)) {
                assertThat(adminApi(token)).isEqualTo(401);
                assertThat(TokensClient.active(baseUrl(), token)).isFalse();
            }
            assertThat(attacker.hits()).isZero();
        }
    }

    // ---- §4.7: CSRF ----

    @Test
    void stateIsEchoedUnchanged() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        String state = "a b&c=d/é";
        String encoded = java.net.URLEncoder.encode(state, "UTF-8");
        String redirect = code(agent, "web-app", CALLBACK, "read", encoded, Pkce.s256().query(), true);
        assertThat(UserAgent.parameters(redirect, false)).containsEntry("state", state);
    }

    // ---- RFC 6749 §5.1 ----

    @Test
    void tokenResponsesAreNoStore() throws Exception {
        HTTPResponse clientCredentials = new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(
                new ClientID("svc-client"), new Secret("svc-secret")), new ClientCredentialsGrant(), null)
                .toHTTPRequest().send();
        HTTPResponse password = new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(new ClientID("trusted-app"),
                new Secret("trusted-secret")), new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")),
                new Scope("read")).toHTTPRequest().send();
        HTTPResponse failure = new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(new ClientID("svc-client"),
                new Secret("wrong")), new ClientCredentialsGrant(), null).toHTTPRequest().send();
        for (HTTPResponse response : List.of(clientCredentials, password, failure)) {
            assertThat(response.getHeaderValue("Cache-Control")).contains("no-store");
        }
    }

    // ---- §4.16: clickjacking, and referrer leakage of codes ----

    @Test
    void pagesCannotBeFramedAndSendNoReferrer() throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(uri("/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "default-src 'none'");
        assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }
}
