package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Jwks;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * Review H4: changing, locking, disabling or deleting a user takes effect at once: their tokens,
 * refresh tokens, sessions, consents and self-service clients stop working, and a new user with the
 * same name inherits nothing. Every user here is the test's own ({@link #newUser}); bob only acts
 * as the administrator.
 */
class DeprovisioningTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    private static final String SPA_CALLBACK = "http://127.0.0.1:18999/spa-callback";
    private static final Pattern JSON_STRING = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    // ---- the findings ----

    @Test
    void whenAdminIsDemotedThenRefreshTokenNoLongerMintsAdminTokens() throws Exception {
        String carol = newUser("USER", "ADMIN");
        Map<String, String> tokens = passwordGrant(carol, "ostiary:admin");
        assertThat(adminApi(tokens.get("access_token"))).isEqualTo(200);
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(carol, "password");
        String codeFlowRefresh = codeFlowRefreshToken(browser, "read admin");
        assertThat(consentedScopes(carol)).containsExactlyInAnyOrder("SCOPE_read", "SCOPE_admin");

        assertThat(admin("PUT", "/admin/api/users/" + carol + "/roles", "{\"roles\":[\"USER\"]}").statusCode())
                .isEqualTo(200);

        // the access token is refused at once, and the refresh token mints nothing
        assertThat(adminApi(tokens.get("access_token"))).isEqualTo(401);
        HttpResponse<String> refreshed = refresh("trusted-app", "trusted-secret", tokens.get("refresh_token"));
        assertThat(refreshed.statusCode()).isEqualTo(400);
        assertThat(refreshed.body()).contains("\"error\":\"invalid_grant\"");
        assertThat(refresh("web-app", "web-secret", codeFlowRefresh).body()).contains("\"error\":\"invalid_grant\"");
        // the consent to what USER may not have is gone, the rest stays
        assertThat(consentedScopes(carol)).containsExactly("SCOPE_read");
        // and a fresh login gets only what USER allows
        assertThat(tokenRequest("trusted-app", "trusted-secret", Map.of("grant_type", "password",
                "username", carol, "password", "password", "scope", "ostiary:admin")).body())
                .contains("invalid_scope");
    }

    @Test
    void whenRolesChangeBehindTheApisBackThenRefreshRecomputesThem() throws Exception {
        // not through UserManagement (an operator's SQL): nothing was revoked, the refresh grant re-reads
        String dave = newUser("USER", "ADMIN");
        Map<String, String> admin = passwordGrant(dave, "ostiary:admin");
        Map<String, String> reader = passwordGrant(dave, "read");
        jdbc.sql("delete from user_role where role = 'ADMIN' and user_id = (select id from app_user where username = ?)")
                .param(dave).update();

        assertThat(refresh("trusted-app", "trusted-secret", admin.get("refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
        assertThat(adminApi(admin.get("access_token"))).isEqualTo(401);
        HttpResponse<String> stillReader = refresh("trusted-app", "trusted-secret", reader.get("refresh_token"));
        assertThat(stillReader.statusCode()).as(stillReader.body()).isEqualTo(200);
        JWTClaimsSet claims = Jwks.verify(baseUrl(), json(stillReader.body(), "access_token"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("USER");

        jdbc.sql("update app_user set enabled = false where username = ?").param(dave).update();
        assertThat(refresh("trusted-app", "trusted-secret", json(stillReader.body(), "refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
    }

    @Test
    void whenUserIsLockedThenRefreshFailsAndSessionsEnd() throws Exception {
        String erin = newUser("USER");
        Map<String, String> tokens = passwordGrant(erin, "read");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(erin, "password");
        // the code flow's refresh token too (Spring's refresh provider)
        String codeFlowRefresh = codeFlowRefreshToken(browser);
        HttpResponse<String> beforeLock = browser.follow(authorizeImplicit("before"));
        if (beforeLock.statusCode() == 200) {
            beforeLock = browser.answerConsent(beforeLock.body(), "spa", List.of("read"));
        }
        assertThat(UserAgent.location(beforeLock)).startsWith(SPA_CALLBACK).contains("access_token=");
        // an implicit token has no authorization row: introspection must re-check its user
        String implicitToken = UserAgent.parameters(UserAgent.location(beforeLock), true).get("access_token");
        assertThat(introspect(implicitToken)).contains("\"active\":true");

        assertThat(admin("POST", "/admin/api/users/" + erin + "/lock", null).statusCode()).isEqualTo(200);

        assertThat(refresh("trusted-app", "trusted-secret", tokens.get("refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
        assertThat(refresh("web-app", "web-secret", codeFlowRefresh).body()).contains("\"error\":\"invalid_grant\"");
        // the same cookie session gets neither an implicit token nor a code: it is sent to log in again
        HttpResponse<String> implicit = browser.get(authorizeImplicit("after"));
        assertThat(UserAgent.location(implicit)).doesNotContain("access_token").contains("/login?expired");
        HttpResponse<String> code = browser.get(authorizeCode("read", "after", Pkce.s256()));
        assertThat(UserAgent.location(code)).doesNotContain("code=").contains("/login");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
        assertThat(introspect(implicitToken)).contains("\"active\":false");
        assertThat(introspect(tokens.get("access_token"))).contains("\"active\":false");
    }

    @Test
    void whenUserIsDisabledThenTokensAndSessionsEnd() throws Exception {
        String fay = newUser("USER");
        Map<String, String> tokens = passwordGrant(fay, "read");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(fay, "password");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

        assertThat(admin("PUT", "/admin/api/users/" + fay + "/enabled", "{\"enabled\":false}").body())
                .contains("\"enabled\":false");

        assertThat(refresh("trusted-app", "trusted-secret", tokens.get("refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
    }

    @Test
    void whenPasswordIsResetThenEarlierTokensAndSessionsEnd() throws Exception {
        String jan = newUser("USER");
        Map<String, String> tokens = passwordGrant(jan, "read");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(jan, "password");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

        assertThat(admin("POST", "/admin/api/users/" + jan + "/password", "{\"password\":\"a-new-password\"}")
                .statusCode()).isEqualTo(204);

        assertThat(refresh("trusted-app", "trusted-secret", tokens.get("refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
    }

    @Test
    void whenUserIsDeletedThenNewUserWithSameNameInheritsNothing() throws Exception {
        String gus = newUser("USER", "ADMIN");
        Map<String, String> tokens = passwordGrant(gus, "read");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(gus, "password");
        codeFlowRefreshToken(browser); // leaves a consent for web-app
        String[] app = registerServiceApp(browser, "read");
        assertThat(count("oauth2_authorization_consent", gus)).isEqualTo(1);

        assertThat(admin("DELETE", "/admin/api/users/" + gus, null).statusCode()).isEqualTo(204);
        assertThat(admin("POST", "/admin/api/users",
                "{\"username\":\"%s\",\"password\":\"new-gus-password\",\"roles\":[\"USER\",\"ADMIN\"]}"
                        .formatted(gus)).statusCode()).isEqualTo(201);

        assertThat(refresh("trusted-app", "trusted-secret", tokens.get("refresh_token")).body())
                .contains("\"error\":\"invalid_grant\"");
        assertThat(count("oauth2_authorization_consent", gus)).isZero();
        assertThat(count("oauth2_authorization", gus)).isZero();
        assertThat(jdbc.sql("select count(*) from client where owner_username = ?").param(gus).query(Long.class)
                .single()).isZero();
        assertThat(clientCredentials(app[0], app[1], "read").statusCode()).isEqualTo(401);
        UserAgent newGus = new UserAgent(baseUrl());
        newGus.login(gus, "new-gus-password");
        assertThat(newGus.get("/account/applications").body()).doesNotContain(app[0]);
        // the old session is not the new user's
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
    }

    @Test
    void whenGrantPredatesTheAccountThenItIsNotTheNewNamesakes() throws Exception {
        // what a race with the delete could leave behind (a row written while the user was deleted)
        String hal = newUser("USER");
        Map<String, String> tokens = passwordGrant(hal, "read");
        jdbc.sql("delete from app_user where username = ?").param(hal).update();
        awaitNextSecond();
        admin("POST", "/admin/api/users", "{\"username\":\"%s\",\"password\":\"new-hal-password\",\"roles\":[\"USER\"]}"
                .formatted(hal));

        HttpResponse<String> refreshed = refresh("trusted-app", "trusted-secret", tokens.get("refresh_token"));
        assertThat(refreshed.body()).contains("\"error\":\"invalid_grant\"");
    }

    @Test
    void whenOwnerLosesRoleThenSelfServiceClientCannotObtainIt() throws Exception {
        String ida = newUser("USER", "ADMIN");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(ida, "password");
        String[] app = registerServiceApp(browser, "read", "admin", "ostiary:admin");
        HttpResponse<String> asAdmin = clientCredentials(app[0], app[1], "read admin");
        assertThat(asAdmin.statusCode()).as(asAdmin.body()).isEqualTo(200);
        assertThat(Jwks.verify(baseUrl(), json(asAdmin.body(), "access_token")).getStringListClaim("roles"))
                .containsExactly("ADMIN", "USER");
        String adminApiToken = json(clientCredentials(app[0], app[1], "ostiary:admin").body(), "access_token");
        assertThat(adminApi(adminApiToken)).isEqualTo(200);

        admin("PUT", "/admin/api/users/" + ida + "/roles", "{\"roles\":[\"USER\"]}");

        // the token it holds is refused at once, and it gets nothing its owner no longer has
        assertThat(adminApi(adminApiToken)).isEqualTo(401);
        assertThat(clientCredentials(app[0], app[1], "admin").body()).contains("\"error\":\"invalid_scope\"");
        HttpResponse<String> asUser = clientCredentials(app[0], app[1], "read");
        assertThat(asUser.statusCode()).isEqualTo(200);
        assertThat(Jwks.verify(baseUrl(), json(asUser.body(), "access_token")).getStringListClaim("roles"))
                .containsExactly("USER");

        String userToken = json(asUser.body(), "access_token");
        assertThat(introspect(userToken)).contains("\"active\":true");
        admin("POST", "/admin/api/users/" + ida + "/lock", null);
        assertThat(introspect(userToken)).contains("\"active\":false");
        HttpResponse<String> locked = clientCredentials(app[0], app[1], "read");
        assertThat(locked.statusCode()).isEqualTo(400);
        assertThat(locked.body()).contains("\"error\":\"unauthorized_client\"");
    }

    @Test
    void whenAdminDeletesClientThenItsRegistrationTokenIsDead() throws Exception {
        String initial = json(admin("POST", "/admin/api/registration-tokens", "{\"expiresInSeconds\":600}").body(),
                "initialAccessToken");
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(uri("/oauth2/register"))
                .header("Authorization", "Bearer " + initial).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"client_name\":\"Registered\",\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String clientId = json(registered.body(), "client_id");
        String registrationToken = json(registered.body(), "registration_access_token");
        assertThat(readRegistration(clientId, registrationToken)).isEqualTo(200);

        assertThat(admin("DELETE", "/admin/api/clients/" + clientId, null).statusCode()).isEqualTo(204);
        // an admin later creates a client with the same id: the old RFC 7592 token must not manage it
        assertThat(admin("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Someone else's","grantTypes":["client_credentials"],
                 "scopes":["read"]}""".formatted(clientId)).statusCode()).isEqualTo(201);

        assertThat(readRegistration(clientId, registrationToken)).isEqualTo(401);
        assertThat(jdbc.sql("select count(*) from registration_token where client_id = ?").param(clientId)
                .query(Long.class).single()).isZero();
    }

    @Test
    void whenScopeIsDeletedFromCatalogThenItIsNotGrantable() throws Exception {
        String scope = "reports-" + Long.toHexString(System.nanoTime());
        assertThat(admin("POST", "/admin/api/scopes", """
                {"name":"%s","description":"Read every report","requiredRole":"ADMIN"}""".formatted(scope))
                .statusCode()).isEqualTo(201);
        String clientId = "svc-" + scope;
        HttpResponse<String> created = admin("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Report reader","grantTypes":["client_credentials"],
                 "scopes":["read","%s"],"serviceRoles":["USER"]}""".formatted(clientId, scope));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = json(created.body(), "clientSecret");
        assertThat(clientCredentials(clientId, secret, scope).body()).contains("\"error\":\"invalid_scope\"");

        assertThat(admin("DELETE", "/admin/api/scopes/" + scope, null).statusCode()).isEqualTo(204);

        // the role requirement went with the catalog entry: the scope must not become free for all
        HttpResponse<String> afterDelete = clientCredentials(clientId, secret, scope);
        assertThat(afterDelete.statusCode()).isEqualTo(400);
        assertThat(afterDelete.body()).contains("\"error\":\"invalid_scope\"");
        HttpResponse<String> defaults = clientCredentials(clientId, secret, null);
        assertThat(defaults.statusCode()).isEqualTo(200);
        assertThat(json(defaults.body(), "scope")).isEqualTo("read");
    }

    // ---- helpers ----

    private Map<String, String> passwordGrant(String username, String scope) throws Exception {
        HttpResponse<String> response = tokenRequest("trusted-app", "trusted-secret", Map.of("grant_type", "password",
                "username", username, "password", "password", "scope", scope));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Map.of("access_token", json(response.body(), "access_token"),
                "refresh_token", json(response.body(), "refresh_token"));
    }

    private HttpResponse<String> refresh(String clientId, String secret, String refreshToken) throws Exception {
        return tokenRequest(clientId, secret, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private HttpResponse<String> clientCredentials(String clientId, String secret, String scope) throws Exception {
        return tokenRequest(clientId, secret, scope == null ? Map.of("grant_type", "client_credentials")
                : Map.of("grant_type", "client_credentials", "scope", scope));
    }

    private HttpResponse<String> tokenRequest(String clientId, String secret, Map<String, String> form)
            throws Exception {
        return tokenRequestTo("/oauth2/token", clientId, secret, form);
    }

    private HttpResponse<String> tokenRequestTo(String path, String clientId, String secret, Map<String, String> form)
            throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=').append(enc(v)));
        String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret))
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As the sample resource server, a registered introspector. */
    private String introspect(String token) throws Exception {
        return tokenRequestTo("/oauth2/introspect", "demo-api", "api-secret", Map.of("token", token)).body();
    }

    private HttpResponse<String> admin(String method, String path, String json) throws Exception {
        // bob's admin token, reused: each new one costs one of his TOTP codes
        String token = dev.ostiary.support.TokensClient.adminToken(baseUrl());
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int adminApi(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/users?size=1")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int readRegistration(String clientId, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/oauth2/register/" + clientId))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Logs the browser's user through web-app's code flow (consent given for read); the refresh token. */
    private String codeFlowRefreshToken(UserAgent browser) throws Exception {
        return codeFlowRefreshToken(browser, "read");
    }

    private String codeFlowRefreshToken(UserAgent browser, String scope) throws Exception {
        Pkce pkce = Pkce.s256();
        HttpResponse<String> response = browser.follow(authorizeCode(scope, "code-1", pkce));
        if (response.statusCode() == 200) {
            response = browser.answerConsent(response.body(), "web-app", List.of(scope.split(" ")));
        }
        String code = UserAgent.parameters(UserAgent.location(response), false).get("code");
        assertThat(code).as(UserAgent.location(response)).isNotNull();
        HttpResponse<String> tokens = tokenRequest("web-app", "web-secret", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", CALLBACK, "code_verifier", pkce.verifier().getValue()));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return json(tokens.body(), "refresh_token");
    }

    private static String authorizeCode(String scope, String state, Pkce pkce) {
        return "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=" + enc(CALLBACK)
                + "&scope=" + enc(scope) + "&state=" + state + "&code_challenge=" + pkce.challenge().getValue()
                + "&code_challenge_method=S256";
    }

    private static String authorizeImplicit(String state) {
        return "/oauth2/authorize?response_type=token&client_id=spa&redirect_uri=" + enc(SPA_CALLBACK)
                + "&scope=read&state=" + state;
    }

    /** Registers a client_credentials app on the self-service page; its id and secret. */
    private String[] registerServiceApp(UserAgent browser, String... scopes) throws Exception {
        String page = browser.get("/account/applications/new").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as(page).isTrue();
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        form.put("clientName", List.of("Service of " + scopes.length));
        form.put("grantTypes", List.of("client_credentials"));
        form.put("scopes", List.of(scopes));
        form.put("authentication", List.of("secret"));
        form.put("_csrf", List.of(csrf.group(1)));
        String created = browser.post("/account/applications", form).body();
        Matcher id = Pattern.compile("id=\"client-id\">([^<]+)<").matcher(created);
        Matcher secret = Pattern.compile("id=\"client-secret\">([^<]+)<").matcher(created);
        assertThat(id.find() && secret.find()).as(created).isTrue();
        return new String[] { id.group(1), secret.group(1) };
    }

    private List<String> consentedScopes(String principal) {
        return jdbc.sql("select unnest(authorities) from oauth2_authorization_consent where principal_name = ?")
                .param(principal).query(String.class).list();
    }

    private long count(String table, String principal) {
        return jdbc.sql("select count(*) from " + table + " where principal_name = ?").param(principal)
                .query(Long.class).single();
    }

    /** An account created in the same second as a grant can own it (iat precision): wait for the clock. */
    private static void awaitNextSecond() {
        long second = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == second) {
            Thread.onSpinWait();
        }
    }

    private static String json(String body, String name) {
        Matcher matcher = Pattern.compile(JSON_STRING.pattern().formatted(Pattern.quote(name))).matcher(body);
        assertThat(matcher.find()).as(name + " in " + body).isTrue();
        return matcher.group(1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
