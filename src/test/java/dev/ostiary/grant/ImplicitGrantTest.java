package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseMode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/** The implicit flow (response_type=token): legacy, per-client opt-in, token in the fragment. */
class ImplicitGrantTest extends ServerTest {

    @Autowired
    AuditTrail trail;

    private static final String SPA_CALLBACK = "http://127.0.0.1:18999/spa-callback";

    private static String authorize(String clientId, String redirectUri, String scope, String state) {
        return "/oauth2/authorize?response_type=token&client_id=" + clientId + "&redirect_uri=" + redirectUri
                + "&scope=" + scope.replace(" ", "%20") + "&state=" + state;
    }

    /**
     * Signs in as {@code user} (a fresh one, so the consent page must appear) and answers the page with
     * {@code approve} (empty = deny).
     */
    private String redirect(String user, String scope, String state, List<String> approve) throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(user, "password");
        HttpResponse<String> page = agent.follow(authorize("spa", SPA_CALLBACK, scope, state));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("submit-consent");
        return UserAgent.location(agent.answerConsent(page.body(), "spa", approve));
    }

    @Test
    void whenApprovedThenShortLivedTokenInFragmentWithStateAndIssAndNoRefreshToken() throws Exception {
        String user = newUser("USER");
        String redirect = redirect(user, "read write", "imp-1", List.of("read", "write"));
        assertThat(redirect).startsWith(SPA_CALLBACK + "#");
        Map<String, String> fragment = UserAgent.parameters(redirect, true);
        assertThat(fragment).containsEntry("token_type", "Bearer").containsEntry("state", "imp-1")
                .containsEntry("iss", baseUrl()).doesNotContainKey("refresh_token").doesNotContainKey("code");
        assertThat(Integer.parseInt(fragment.get("expires_in"))).isBetween(1, 300);
        assertThat(fragment.get("scope").split(" ")).containsExactlyInAnyOrder("read", "write");

        // an independent client library reads the same response
        AuthorizationResponse parsed = AuthorizationResponse.parse(java.net.URI.create(redirect));
        assertThat(parsed.indicatesSuccess()).isTrue();
        AuthorizationSuccessResponse success = parsed.toSuccessResponse();
        assertThat(success.impliedResponseMode()).isEqualTo(ResponseMode.FRAGMENT);
        JWTClaimsSet claims = Jwks.verify(baseUrl(), success.getAccessToken().getValue());
        assertThat(claims.getSubject()).isEqualTo(user);
        assertThat(claims.getStringClaim("client_id")).isEqualTo("spa");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isLessThanOrEqualTo(300_000);
    }

    /** Review §2.9: an implicit token is audited like the token endpoint's, as {@code token.issued}. */
    @Test
    void whenTokenIssuedThenAuditedAsTokenIssuedForTheUser() throws Exception {
        String user = newUser("USER");
        String redirect = redirect(user, "read", "imp-audit", List.of("read"));
        assertThat(UserAgent.parameters(redirect, true)).containsKey("access_token");
        trail.flushAll();

        assertThat(jdbc.sql("select client_id, details->>'grantType' from audit_event"
                + " where type = 'token.issued' and username = ?").param(user)
                .query((row, n) -> row.getString(1) + " " + row.getString(2)).list())
                .containsExactly("spa implicit");
    }

    @Test
    void whenConsentDeniedThenAccessDeniedInFragment() throws Exception {
        String redirect = redirect(newUser("USER"), "read", "imp-deny", List.of());
        assertThat(redirect).startsWith(SPA_CALLBACK + "#");
        assertThat(UserAgent.parameters(redirect, true)).containsEntry("error", "access_denied")
                .containsEntry("state", "imp-deny");
    }

    @Test
    void whenClientHasNotOptedInThenUnauthorizedClientInFragment() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login("alice", "alice-pw");
        String redirect = UserAgent.location(agent.follow(authorize("web-app", "http://127.0.0.1:18999/callback",
                "read", "imp-2")));
        assertThat(redirect).startsWith("http://127.0.0.1:18999/callback#");
        assertThat(UserAgent.parameters(redirect, true)).containsEntry("error", "unauthorized_client")
                .containsEntry("state", "imp-2");
    }

    @Test
    void whenRedirectUriNotExactlyRegisteredThenErrorPageWithoutRedirect() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        for (String redirectUri : List.of("http://127.0.0.1:18999/spa-callback/", "http://127.0.0.1:18998/spa-callback",
                "https://evil.example/spa-callback")) {
            HttpResponse<String> response = agent.get(authorize("spa", redirectUri, "read", "imp-3"));
            assertThat(response.statusCode()).as(redirectUri).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(redirectUri).isEmpty();
        }
    }

    @Test
    void whenOnlyScopeBeyondUserRolesThenInvalidScopeInFragment() throws Exception {
        jdbc.sql("update client set scopes = '{read,write,admin}' where client_id = 'spa'").update();
        awaitScopes("spa", "admin", true);
        try {
            UserAgent agent = new UserAgent(baseUrl());
            agent.login("alice", "alice-pw");
            String redirect = UserAgent.location(agent.follow(authorize("spa", SPA_CALLBACK, "admin", "imp-4")));
            assertThat(UserAgent.parameters(redirect, true)).containsEntry("error", "invalid_scope");
        } finally {
            jdbc.sql("update client set scopes = '{read,write}' where client_id = 'spa'").update();
            awaitScopes("spa", "admin", false);
        }
    }

    /** Cache invalidation arrives by PostgreSQL notification, a moment after the update. */
    private void awaitScopes(String clientId, String scope, boolean present) {
        await("the client cache picks up the change").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> clients.findByClientId(clientId).getScopes().contains(scope) == present);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;
}
