package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.AttackerServer;
import dev.ostiary.support.ForgedTokens;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * RFC 9700, the OAuth 2.0 Security Best Current Practice, as a checklist: one test per rule, named
 * after it. Resource-server rules are checked against Ostiary's own resource servers (the admin API
 * and introspection); the sample resource server has its own copy of them.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700">RFC 9700</a>
 */
class Rfc9700ChecklistTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    private static final ClientSecretBasic WEB_APP = new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret"));
    private final HttpClient http = HttpClient.newHttpClient();

    // ---- helpers ----

    private String code(UserAgent agent, String clientId, String redirectUri, String scope, String state,
            String pkceQuery) throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + redirectUri + "&scope=" + scope + "&state=" + state + pkceQuery);
        if (response.statusCode() == 200 && response.body().contains("submit-consent")) {
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

    private boolean introspectsActive(String token) throws Exception {
        return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(uri("/oauth2/introspect"),
                new ClientSecretBasic(new ClientID("demo-api"), new Secret("api-secret")), new BearerAccessToken(token))
                .toHTTPRequest().send()).toSuccessResponse().isActive();
    }

    private int adminApi(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/keys")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String error(HTTPResponse response) throws Exception {
        return TokenErrorResponse.parse(response).getErrorObject().getCode();
    }

    // ---- §2.1 / §4.1: redirect URIs ----

    @Test
    void exactRedirectUriMatchingRefusesPrefixCaseFoldingExtraPathAndQuery() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        for (String variant : List.of(CALLBACK + "/more", CALLBACK.toUpperCase(), "http://127.0.0.1:18999/Callback",
                CALLBACK + "?next=https://evil.example", CALLBACK + "x", "http://127.0.0.1:18999")) {
            HttpResponse<String> response = agent.get("/oauth2/authorize?response_type=code&client_id=web-app"
                    + "&redirect_uri=" + java.net.URLEncoder.encode(variant, "UTF-8") + "&scope=read&state=s"
                    + Pkce.s256().query());
            assertThat(response.statusCode()).as(variant).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(variant).isEmpty();
        }
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

    // ---- §2.1.1 / §4.8: PKCE ----

    @Test
    void pkceDowngradeRefusedCodeIssuedWithChallengeNeedsTheVerifier() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(code(agent, "web-app", CALLBACK, "read", "p1", pkce.query()), false)
                .get("code");
        assertThat(error(redeem(WEB_APP, code, CALLBACK, null))).isEqualTo("invalid_grant");
    }

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
        String code = UserAgent.parameters(code(agent, clientId, redirect, "read", "p2", ""), false).get("code");
        assertThat(code).isNotNull();
        assertThat(error(redeem(client, code, redirect, new CodeVerifier()))).isEqualTo("invalid_grant");
    }

    // ---- §4.5 and §2.2.1: codes ----

    @Test
    void codeSingleUseAndSecondRedemptionRevokesWhatTheFirstIssued() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(code(agent, "web-app", CALLBACK, "read", "c1", pkce.query()), false)
                .get("code");
        Tokens first = TokenResponse.parse(redeem(WEB_APP, code, CALLBACK, pkce.verifier())).toSuccessResponse()
                .getTokens();
        assertThat(error(redeem(WEB_APP, code, CALLBACK, pkce.verifier()))).isEqualTo("invalid_grant");
        assertThat(introspectsActive(first.getAccessToken().getValue())).isFalse();
        assertThat(error(new TokenRequest(uri("/oauth2/token"), WEB_APP, new RefreshTokenGrant(first.getRefreshToken()))
                .toHTTPRequest().send())).isEqualTo("invalid_grant");
    }

    // ---- §4.14.2: refresh tokens ----

    @Test
    void refreshTokenRotationWithFamilyRevocationOnReuse() throws Exception {
        ClientSecretBasic trusted = new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret"));
        String user = newUser("USER");
        Tokens first = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"), trusted,
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret("password")), new Scope("read"))
                .toHTTPRequest().send()).toSuccessResponse().getTokens();
        Tokens second = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"), trusted,
                new RefreshTokenGrant(first.getRefreshToken())).toHTTPRequest().send()).toSuccessResponse().getTokens();
        assertThat(second.getRefreshToken().getValue()).isNotEqualTo(first.getRefreshToken().getValue());
        assertThat(error(new TokenRequest(uri("/oauth2/token"), trusted, new RefreshTokenGrant(first.getRefreshToken()))
                .toHTTPRequest().send())).isEqualTo("invalid_grant");
        assertThat(error(new TokenRequest(uri("/oauth2/token"), trusted, new RefreshTokenGrant(second.getRefreshToken()))
                .toHTTPRequest().send())).isEqualTo("invalid_grant");
        assertThat(introspectsActive(second.getAccessToken().getValue())).isFalse();
    }

    // ---- §4.4 (RFC 9207): mix-up ----

    @Test
    void issInEveryAuthorizationResponseAndAdvertisedInMetadata() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        String success = code(agent, "web-app", CALLBACK, "read", "i1", Pkce.s256().query());
        String failure = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=i2"));
        assertThat(UserAgent.parameters(success, false)).containsEntry("iss", baseUrl());
        assertThat(UserAgent.parameters(failure, false)).containsEntry("iss", baseUrl()).containsKey("error");
        String metadata = http.send(HttpRequest.newBuilder(uri("/.well-known/oauth-authorization-server")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metadata).contains("\"authorization_response_iss_parameter_supported\":true");
    }

    // ---- §2.3 / §4.10: audience restriction ----

    @Test
    void accessTokensAreAudienceRestricted() throws Exception {
        String token = new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(new ClientID("svc-client"),
                new Secret("svc-secret")), new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send()
                .getBodyAsJSONObject().getAsString("access_token");
        JWTClaimsSet claims = Jwks.verify(baseUrl(), token);
        assertThat(claims.getAudience()).containsExactly("demo-api");
    }

    // ---- §2.1.2: implicit ----

    @Test
    void noRefreshTokenForImplicit() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=token&client_id=spa"
                + "&redirect_uri=http://127.0.0.1:18999/spa-callback&scope=read&state=n1");
        if (response.statusCode() == 200) {
            response = agent.answerConsent(response.body(), "spa", List.of("read"));
        }
        Map<String, String> fragment = UserAgent.parameters(UserAgent.location(response), true);
        assertThat(fragment).containsKey("access_token").doesNotContainKey("refresh_token");
        assertThat(Integer.parseInt(fragment.get("expires_in"))).isLessThanOrEqualTo(300);
    }

    // ---- §2.7 / RFC 8725: algorithms ----

    @Test
    void algFixedByServerNoneAndHmacWithPublicKeyAndUnknownKidRejected() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        List<String> forged = new ArrayList<>();
        forged.add(ForgedTokens.unsigned(claims));
        forged.addAll(ForgedTokens.hmacWithPublicKey(baseUrl() + "/oauth2/jwks", claims));
        forged.add(ForgedTokens.unknownKid(claims));
        for (String token : forged) {
            assertThat(adminApi(token)).as(token).isEqualTo(401);
            assertThat(introspectsActive(token)).as(token).isFalse();
        }
    }

    @Test
    void jkuX5uAndEmbeddedJwkHeadersAreNeverFollowed() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        try (AttackerServer attacker = AttackerServer.start()) {
            for (String token : List.of(ForgedTokens.withJku(claims, attacker.uri("/jwks.json")),
                    ForgedTokens.withX5u(claims, attacker.uri("/cert.pem")), ForgedTokens.withEmbeddedJwk(claims))) {
                assertThat(adminApi(token)).isEqualTo(401);
                assertThat(introspectsActive(token)).isFalse();
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
        String redirect = code(agent, "web-app", CALLBACK, "read", encoded, Pkce.s256().query());
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
