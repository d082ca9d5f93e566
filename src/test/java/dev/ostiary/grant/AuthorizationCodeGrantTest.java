package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TokensClient;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * The authorization code flow: authorization requests by a cookie-keeping HTTP client (the real
 * pages, no browser), token requests through the Nimbus SDK.
 */
class AuthorizationCodeGrantTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    private static final ClientAuthentication WEB_APP = new ClientSecretBasic(new ClientID("web-app"),
            new Secret("web-secret"));

    private String authorize(String scope, String state, Pkce pkce) {
        return "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=" + CALLBACK + "&scope="
                + scope.replace(" ", "%20") + "&state=" + state + (pkce == null ? "" : pkce.query());
    }

    /**
     * Signs in as {@code user} (a fresh one: it has consented to nothing, so the consent page must
     * appear), approves every offered scope, and returns the redirect to the client.
     */
    private String codeRedirect(UserAgent agent, String user, String scope, String state, Pkce pkce)
            throws Exception {
        agent.login(user, "password");
        HttpResponse<String> page = agent.follow(authorize(scope, state, pkce));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("submit-consent");
        return UserAgent.location(agent.answerConsent(page.body(), "web-app", offeredScopes(page.body())));
    }

    private static List<String> offeredScopes(String consentPage) {
        return java.util.regex.Pattern.compile("name=\"scope\" id=\"scope-[^\"]+\" value=\"([^\"]+)\"")
                .matcher(consentPage).results().map(m -> m.group(1)).toList();
    }

    private HTTPResponse redeem(String code, CodeVerifier verifier) throws Exception {
        return new TokenRequest(uri("/oauth2/token"), WEB_APP,
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(CALLBACK), verifier))
                .toHTTPRequest().send();
    }

    @Test
    void whenCodeRedeemedWithVerifierThenTokensAndRedirectCarriesStateAndIss() throws Exception {
        Pkce pkce = Pkce.s256();
        String bob = newUser("ADMIN", "USER");
        String redirect = codeRedirect(new UserAgent(baseUrl()), bob, "openid read write", "st-1", pkce);
        Map<String, String> parameters = UserAgent.parameters(redirect, false);
        assertThat(redirect).startsWith(CALLBACK + "?");
        assertThat(parameters).containsEntry("state", "st-1").containsEntry("iss", baseUrl()).containsKey("code");

        TokenResponse response = TokenResponse.parse(redeem(parameters.get("code"), pkce.verifier()));
        assertThat(response.indicatesSuccess()).isTrue();
        Tokens tokens = response.toSuccessResponse().getTokens();
        assertThat(tokens.getRefreshToken()).isNotNull();
        JWTClaimsSet claims = Jwks.verify(baseUrl(), tokens.getAccessToken().getValue());
        assertThat(claims.getSubject()).isEqualTo(bob);
        assertThat(claims.getStringClaim("client_id")).isEqualTo("web-app");
        assertThat(claims.getStringListClaim("roles")).containsExactly("ADMIN", "USER");
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "read", "write");
        assertThat(response.toSuccessResponse().getCustomParameters()).containsKey("id_token");
    }

    @Test
    void whenCodeRedeemedTwiceThenInvalidGrantAndFirstTokensRevoked() throws Exception {
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(codeRedirect(new UserAgent(baseUrl()), newUser("USER"), "read", "s",
                pkce), false).get("code");
        Tokens first = TokenResponse.parse(redeem(code, pkce.verifier())).toSuccessResponse().getTokens();
        assertThat(TokensClient.active(baseUrl(), first.getAccessToken())).isTrue();

        HTTPResponse second = redeem(code, pkce.verifier());
        assertThat(second.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(second).getErrorObject().getCode()).isEqualTo("invalid_grant");

        assertThat(TokensClient.active(baseUrl(), first.getAccessToken())).isFalse();
        HTTPResponse refresh = new TokenRequest(uri("/oauth2/token"), WEB_APP,
                new RefreshTokenGrant(first.getRefreshToken())).toHTTPRequest().send();
        assertThat(TokenErrorResponse.parse(refresh).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void whenWrongCodeVerifierThenInvalidGrant() throws Exception {
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(codeRedirect(new UserAgent(baseUrl()), newUser("USER"), "read", "s",
                pkce), false).get("code");
        HTTPResponse response = redeem(code, new CodeVerifier());
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void whenCodeIssuedWithChallengeIsRedeemedWithoutVerifierThenRefused() throws Exception {
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(codeRedirect(new UserAgent(baseUrl()), newUser("USER"), "read", "s",
                pkce), false).get("code");
        HTTPResponse response = redeem(code, null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        // RFC 7636 §4.6: the server cannot verify the code without code_verifier, so the grant is invalid
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void whenNoPkceThenErrorRedirectBecausePkceIsOnByDefault() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        String redirect = UserAgent.location(agent.follow(authorize("read", "s-nopkce", null)));
        assertThat(redirect).startsWith(CALLBACK);
        assertThat(UserAgent.parameters(redirect, false)).containsEntry("error", "invalid_request")
                .containsEntry("state", "s-nopkce");
    }

    @Test
    void whenPublicClientOmitsPkceThenRefused() throws Exception {
        String clientId = "native-" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, redirect_uris, scopes,
                    require_pkce, require_consent)
                values (gen_random_uuid(), ?, 'Native app', '{none}', '{authorization_code}',
                    '{http://127.0.0.1:18999/native}', '{read}', false, false)""").param(clientId).update();
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        String redirect = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=http://127.0.0.1:18999/native&scope=read&state=n"));
        assertThat(UserAgent.parameters(redirect, false)).containsEntry("error", "invalid_request");
    }

    @Test
    void whenRedirectUriNotRegisteredExactlyThenErrorPageAndNoRedirect() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        Pkce pkce = Pkce.s256();
        // RFC 9700 §4.1.3: no prefix, case folding, extra path or query (variants from the RFC 9700 checklist)
        for (String redirectUri : List.of("http://127.0.0.1:18999/callback/extra", "http://127.0.0.1:18999/CALLBACK",
                "http://127.0.0.1:18999/Callback", "http://127.0.0.1:18999/callbackx", "http://127.0.0.1:18999",
                "http://127.0.0.1:18999/callback?x=1", "http://127.0.0.1:18999/callback?next=https://evil.example",
                "https://evil.example/callback")) {
            HttpResponse<String> response = agent.get("/oauth2/authorize?response_type=code&client_id=web-app"
                    + "&redirect_uri=" + java.net.URLEncoder.encode(redirectUri, "UTF-8") + "&scope=read&state=s"
                    + pkce.query());
            assertThat(response.statusCode()).as(redirectUri).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(redirectUri).isEmpty();
            assertThat(response.body()).contains("cannot be completed");
        }
    }

    @Test
    void whenUnknownClientThenErrorPageBeforeLogin() throws Exception {
        HttpResponse<String> response = new UserAgent(baseUrl()).get("/oauth2/authorize?response_type=code"
                + "&client_id=nobody&redirect_uri=" + CALLBACK + "&scope=read&state=s" + Pkce.s256().query());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void whenConsentDeniedThenAccessDeniedWithState() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        // a scope alice never granted web-app, so the page asks
        HttpResponse<String> page = agent.follow(authorize("profile", "st-deny", Pkce.s256()));
        assertThat(page.body()).contains("submit-consent", "cancel-consent");
        String redirect = UserAgent.location(agent.answerConsent(page.body(), "web-app", List.of()));
        assertThat(UserAgent.parameters(redirect, false)).containsEntry("error", "access_denied")
                .containsEntry("state", "st-deny").containsEntry("iss", baseUrl());
    }

    @Test
    void whenScopeNeedsRoleUserLacksThenConsentAndTokenLeaveItOut() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        HttpResponse<String> response = agent.follow(authorize("write admin", "s-roles", pkce));
        assertThat(response.body()).contains("submit-consent");
        assertThat(offeredScopes(response.body())).containsExactly("write");
        response = agent.answerConsent(response.body(), "web-app", offeredScopes(response.body()));
        String code = UserAgent.parameters(UserAgent.location(response), false).get("code");
        Tokens tokens = TokenResponse.parse(redeem(code, pkce.verifier())).toSuccessResponse().getTokens();
        assertThat(Jwks.verify(baseUrl(), tokens.getAccessToken().getValue()).getStringClaim("scope"))
                .isEqualTo("write");
    }

    @Test
    void whenOnlyScopeNeedsRoleUserLacksThenInvalidScopeRedirect() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        String redirect = UserAgent.location(agent.follow(authorize("admin", "s-admin", Pkce.s256())));
        assertThat(UserAgent.parameters(redirect, false)).containsEntry("error", "invalid_scope")
                .containsEntry("state", "s-admin");
    }

    @Test
    void whenConsentGivenThenRememberedAndAskedAgainOnlyForNewScopes() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        HttpResponse<String> first = agent.follow(authorize("read", "a", Pkce.s256()));
        assertThat(first.body()).contains("submit-consent");
        first = agent.answerConsent(first.body(), "web-app", List.of("read"));
        assertThat(UserAgent.location(first)).contains("code=");

        HttpResponse<String> again = agent.follow(authorize("read", "b", Pkce.s256()));
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(again)).startsWith(CALLBACK).contains("code=");

        HttpResponse<String> wider = agent.follow(authorize("read write", "c", Pkce.s256()));
        assertThat(wider.body()).contains("submit-consent");
        assertThat(offeredScopes(wider.body())).containsExactly("write");
    }

    @Test
    void whenConsentRevokedOnMyConsentsPageThenRefreshTokenStopsWorking() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(codeRedirect(agent, newUser("ADMIN", "USER"), "read", "s", pkce), false).get("code");
        Tokens tokens = TokenResponse.parse(redeem(code, pkce.verifier())).toSuccessResponse().getTokens();

        HttpResponse<String> page = agent.get("/account/consents");
        assertThat(page.body()).contains("Demo web app");
        String csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body())
                .results().findFirst().orElseThrow().group(1);
        HttpResponse<String> revoked = agent.post("/account/consents/revoke",
                Map.of("client_id", List.of("web-app"), "_csrf", List.of(csrf)));
        assertThat(UserAgent.location(revoked)).contains("revoked=web-app");

        HTTPResponse refresh = new TokenRequest(uri("/oauth2/token"), WEB_APP,
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send();
        assertThat(TokenErrorResponse.parse(refresh).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(TokensClient.active(baseUrl(), tokens.getAccessToken())).isFalse();
        assertThat(agent.get("/account/consents").body()).doesNotContain("revoke-web-app");
    }
}
