package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.logout.LogoutPages;
import dev.ostiary.logout.SessionAuthorizations;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TestUsers;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * Issue 16, stateless nodes: HTTP sessions live in PostgreSQL (Spring Session JDBC), so two instances
 * on one database serve one browser as one server would. The browser's cookie jar is shared between
 * the instances, as behind a load balancer (one host: cookies know no port).
 */
class SessionsAcrossNodesTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    /** Requests from this address come from a trusted proxy (on {@link #a}); from 127.0.0.1 they do not. */
    private static final String PROXY = "127.0.0.2";

    private static StandaloneServer a;
    private static StandaloneServer b;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        String database = EmbeddedPostgresSupport.newDatabase();
        a = StandaloneServer.start(database, "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.trusted-proxies=" + PROXY + "/32");
        b = StandaloneServer.start(database, "--ostiary.abuse.source-ip-threshold=0");
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static String newUser(String... roles) {
        return TestUsers.create(a.bean(UserRepository.class), a.bean(PasswordEncoder.class), "password", roles);
    }

    @Test
    void whenLoginHappensOnAThenConsentCodeAndTokenHappenOnB() throws Exception {
        String user = newUser("USER");
        Pkce pkce = Pkce.s256();
        UserAgent onA = new UserAgent(a.baseUrl());
        UserAgent onB = onA.at(b.baseUrl());

        // A: the authorization request is saved in the session, and the user signs in
        HttpResponse<String> toLogin = onA.get(authorizeCode("openid read", "st-1", pkce));
        assertThat(UserAgent.location(toLogin)).endsWith("/login");
        HttpResponse<String> loggedIn = onA.login(user, "password");
        String savedRequest = UserAgent.location(loggedIn);
        assertThat(savedRequest).contains("/oauth2/authorize").contains("state=st-1");

        // B: the saved request, the consent page and its answer (CSRF token and state from B's session)
        HttpResponse<String> consent = onB.follow(URI.create(savedRequest).getRawPath() + "?"
                + URI.create(savedRequest).getRawQuery());
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
        HttpResponse<String> answered = onB.answerConsent(consent.body(), "web-app", List.of("read"));
        Map<String, String> redirect = UserAgent.parameters(UserAgent.location(answered), false);
        assertThat(UserAgent.location(answered)).startsWith(CALLBACK);
        assertThat(redirect).containsEntry("state", "st-1").containsKey("code");

        HttpResponse<String> tokens = tokenRequest(b, "web-app", "web-secret", Map.of("grant_type",
                "authorization_code", "code", redirect.get("code"), "redirect_uri", CALLBACK,
                "code_verifier", pkce.verifier().getValue()));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        // signed by the server it came from, straight from the token endpoint (OIDC Core §3.1.3.7)
        JWTClaimsSet idToken = SignedJWT.parse(json(tokens.body(), "id_token")).getJWTClaimsSet();
        assertThat(idToken.getSubject()).isEqualTo(user);
        // B found the session A signed in through the shared registry: the ID token names it (the cookie
        // holds, Base64-encoded, the value whose digest is the stored session id)
        String cookieValue = new String(Base64.getDecoder().decode(onB.cookie("SESSION").orElseThrow()),
                StandardCharsets.US_ASCII);
        assertThat(idToken.getStringClaim("sid"))
                .isEqualTo(SessionAuthorizations.sidOf(dev.ostiary.session.DigestedSessionIds.storedIdOf(cookieValue)));
    }

    @Test
    void whenCsrfTokenIsIssuedOnAThenBAcceptsItAndRefusesAnother() throws Exception {
        String user = newUser("USER");
        UserAgent onA = new UserAgent(a.baseUrl());
        UserAgent onB = onA.at(b.baseUrl());
        String csrf = UserAgent.csrf(onA.get("/login").body());

        HttpResponse<String> forged = onB.post("/login", Map.of("username", List.of(user),
                "password", List.of("password"), "_csrf", List.of(csrf + "x")));
        assertThat(forged.statusCode()).isEqualTo(403);

        HttpResponse<String> signedIn = onB.post("/login", Map.of("username", List.of(user),
                "password", List.of("password"), "_csrf", List.of(csrf)));
        assertThat(UserAgent.location(signedIn)).doesNotContain("error");
        assertThat(onA.get("/account/applications").statusCode()).isEqualTo(200);
    }

    @Test
    void whenUserSignsOutOnAThenTheSessionEndsOnB() throws Exception {
        String user = newUser("USER");
        UserAgent onA = new UserAgent(a.baseUrl());
        UserAgent onB = onA.at(b.baseUrl());
        onA.login(user, "password");
        assertThat(onB.get("/account/applications").statusCode()).isEqualTo(200);

        HttpResponse<String> out = onA.post("/logout", Map.of("_csrf", List.of(UserAgent.csrf(onA.get("/").body()))));
        assertThat(UserAgent.location(out)).contains("/login?logout");

        HttpResponse<String> after = onB.get("/account/applications");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(after)).contains("/login");
        assertThat(sessionRows(user)).isZero();
    }

    @Test
    void whenUserSignsOutEverywhereOnAThenTheirOtherSessionEndsOnB() throws Exception {
        String user = newUser("USER");
        UserAgent here = new UserAgent(a.baseUrl());
        UserAgent elsewhere = new UserAgent(b.baseUrl());
        here.login(user, "password");
        elsewhere.login(user, "password");
        assertThat(elsewhere.get("/account/applications").statusCode()).isEqualTo(200);
        assertThat(sessionRows(user)).isEqualTo(2);

        HttpResponse<String> out = here.post(LogoutPages.SIGN_OUT_EVERYWHERE,
                Map.of("_csrf", List.of(UserAgent.csrf(here.get("/").body()))));
        assertThat(UserAgent.location(out)).contains("everywhere");

        HttpResponse<String> after = elsewhere.get("/account/applications");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(after)).contains("/login?expired");
        // and that session is gone for good: the next request is simply anonymous
        assertThat(UserAgent.location(elsewhere.get("/account/applications"))).endsWith("/login");
    }

    @Test
    void whenUserIsDeletedThroughTheAdminApiOnAThenTheirSessionOnBEnds() throws Exception {
        String user = newUser("USER");
        UserAgent onB = new UserAgent(b.baseUrl());
        onB.login(user, "password");
        assertThat(onB.get("/account/applications").statusCode()).isEqualTo(200);

        String admin = TokensClient.adminToken(a.baseUrl());
        assertThat(http.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/admin/api/users/" + user))
                .header("Authorization", "Bearer " + admin).DELETE().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(204);

        // expired in PostgreSQL before the admin API answered: no wait, no notification
        HttpResponse<String> after = onB.get("/account/applications");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(after)).contains("/login?expired");
        // the code flow too: the authorization endpoint refuses the session before issuing anything
        HttpResponse<String> code = onB.get(authorizeCode("read", "st-2", Pkce.s256()));
        assertThat(UserAgent.location(code)).doesNotContain("code=").contains("/login");
    }

    /** Bytes another version wrote (a changed class) or that are not ours: log in again, never a 500. */
    @Test
    void whenASessionIdIsCopiedOutOfTheDatabaseThenItSignsNobodyIn() throws Exception {
        String user = newUser("USER");
        UserAgent onA = new UserAgent(a.baseUrl());
        onA.login(user, "password");
        assertThat(onA.get("/account/applications").statusCode()).isEqualTo(200);
        String cookieValue = new String(java.util.Base64.getDecoder().decode(onA.cookie("SESSION").orElseThrow()),
                java.nio.charset.StandardCharsets.UTF_8);
        String stored = a.bean(JdbcClient.class).sql("select session_id from spring_session where principal_name = ?")
                .param(user).query(String.class).single();

        // the store holds the digest of what the browser holds, never the value itself
        assertThat(stored).isNotEqualTo(cookieValue).isEqualTo(dev.ostiary.session.DigestedSessionIds.storedIdOf(cookieValue));
        String dumped = java.util.Base64.getEncoder().encodeToString(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String server : List.of(a.baseUrl(), b.baseUrl())) {
            HttpResponse<String> forged = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(server + "/account/applications")).header("Cookie", "SESSION=" + dumped)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(302);
            assertThat(UserAgent.location(forged)).endsWith("/login");
        }
        // and the browser's own cookie still works on the other node
        assertThat(onA.at(b.baseUrl()).get("/account/applications").statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheStoredSecurityContextIsUnreadableThenTheBrowserIsSentToLogIn() throws Exception {
        String user = newUser("USER");
        UserAgent onA = new UserAgent(a.baseUrl());
        onA.login(user, "password");
        assertThat(onA.get("/account/applications").statusCode()).isEqualTo(200);

        // a serialization stream header and an object of a class that is not there
        assertThat(a.bean(JdbcClient.class).sql("update spring_session_attributes"
                + " set attribute_bytes = decode('aced0005737200', 'hex')"
                + " where attribute_name = 'SPRING_SECURITY_CONTEXT' and session_primary_id in"
                + " (select primary_id from spring_session where principal_name = ?)")
                .param(user).update()).isEqualTo(1);

        HttpResponse<String> after = onA.at(b.baseUrl()).get("/account/applications");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(after)).endsWith("/login");
    }

    @Test
    void whenTheSessionCookieIsSetThenItIsHttpOnlyLaxAndSecureOnlyOverHttps() throws Exception {
        RawHttp toA = new RawHttp(a.baseUrl());
        String plain = toA.get("/login", Map.of()).header("Set-Cookie");
        assertThat(plain).startsWith("SESSION=").contains("; Path=/").contains("; HttpOnly")
                .contains("; SameSite=Lax").doesNotContain("Secure");

        // https at a trusted proxy: the request is secure (web/TrustedProxies), and so is the cookie
        String proxied = toA.send(PROXY, "GET", "/login", Map.of("X-Forwarded-Proto", "https"), null)
                .header("Set-Cookie");
        assertThat(proxied).startsWith("SESSION=").contains("; Secure").contains("; HttpOnly")
                .contains("; SameSite=Lax");

        // the same header from anybody else is ignored
        String untrusted = toA.send("127.0.0.1", "GET", "/login", Map.of("X-Forwarded-Proto", "https"), null)
                .header("Set-Cookie");
        assertThat(untrusted).startsWith("SESSION=").doesNotContain("Secure");
    }

    @Test
    void whenClientsCallTheirEndpointsThenNoSessionIsCreated() throws Exception {
        long before = allSessionRows();
        String token = TokensClient.clientCredentials(a.baseUrl(), "svc-client", "svc-secret", "read");
        RawHttp toA = new RawHttp(a.baseUrl());
        List<RawHttp.Response> answers = List.of(
                toA.post("/oauth2/token", RawHttp.form("Authorization", RawHttp.basic("svc-client", "svc-secret")),
                        "grant_type=client_credentials&scope=read"),
                toA.post("/oauth2/token", RawHttp.form("Authorization", RawHttp.basic("svc-client", "wrong")),
                        "grant_type=client_credentials"),
                toA.post("/oauth2/token", RawHttp.form(), "grant_type=client_credentials"),
                toA.get("/oauth2/token", Map.of()),
                toA.post("/oauth2/introspect", RawHttp.form("Authorization", RawHttp.basic("demo-api", "api-secret")),
                        "token=" + token),
                toA.post("/oauth2/revoke", RawHttp.form("Authorization", RawHttp.basic("svc-client", "svc-secret")),
                        "token=" + token),
                toA.post("/oauth2/par", RawHttp.form("Authorization", RawHttp.basic("web-app", "web-secret")),
                        "response_type=code&client_id=web-app&redirect_uri=" + enc(CALLBACK) + "&scope=read&state=s"
                                + Pkce.s256().query()),
                toA.post("/oauth2/device_authorization", RawHttp.form(), "client_id=demo-tv&scope=read"));
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(1).status()).isEqualTo(401);
        assertThat(answers.get(4).body()).contains("\"active\":true");
        assertThat(answers.get(5).status()).isEqualTo(200);
        assertThat(answers.get(6).status()).as(answers.get(6).body()).isEqualTo(201);
        assertThat(answers.get(7).status()).as(answers.get(7).body()).isEqualTo(200);
        assertThat(answers).extracting(answer -> answer.header("Set-Cookie")).containsOnlyNulls();
        assertThat(allSessionRows()).isEqualTo(before);
    }

    private static long sessionRows(String principal) {
        return a.bean(JdbcClient.class).sql("select count(*) from spring_session where principal_name = ?")
                .param(principal).query(Long.class).single();
    }

    private static long allSessionRows() {
        return a.bean(JdbcClient.class).sql("select count(*) from spring_session").query(Long.class).single();
    }

    private static String authorizeCode(String scope, String state, Pkce pkce) {
        return "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=" + enc(CALLBACK)
                + "&scope=" + enc(scope) + "&state=" + state + "&code_challenge=" + pkce.challenge().getValue()
                + "&code_challenge_method=S256";
    }

    private HttpResponse<String> tokenRequest(StandaloneServer server, String clientId, String secret,
            Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=').append(enc(v)));
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(String body, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
