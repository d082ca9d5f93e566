package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.abuse.ClientRateLimiter;
import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;

/**
 * Review H1 and I3: Spring routes on the percent-decoded path, so every check keyed on a path must
 * see {@code /oauth2/%74oken} as the token endpoint. Requests go out over a raw socket, so the
 * encoded target reaches the server exactly as written, each from a loopback address of the test's
 * own (127.0.0.x) so the locks one test provokes cannot touch another. Its own server: deny list,
 * low lockout thresholds and a rate limit would disturb other tests.
 */
class PercentEncodedPathsTest {

    private static final String WRONG = "wrong-secret";
    /** The abuse guard's answer to a locked client (the rate limiter's 429 says something else). */
    private static final String CLIENT_LOCKED = "Too many failed attempts for this client";
    private static final List<String> TOKEN_PATHS = List.of("/oauth2/token", "/oauth2/%74oken", "/oauth2/%74%6F%6B%65%6E",
            "/%6fauth2/token", "/%6Fauth2/token", "/oauth2/t%6fken");
    private static final List<String> INTROSPECT_PATHS = List.of("/oauth2/introspect", "/oauth2/%69ntrospect",
            "/%6Fauth2/introspect");
    private static final List<String> REVOKE_PATHS = List.of("/oauth2/revoke", "/oauth2/%72evoke", "/oauth2/revok%65");
    private static final List<String> JWKS_PATHS = List.of("/oauth2/jwks", "/oauth2/%6Awks", "/oauth2/%6awks",
            "/%6Fauth2/jwks", "/oauth2/j%77k%73");

    private static StandaloneServer server;
    private static RawHttp raw;

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.abuse.source-ip-threshold=3",
                "--ostiary.abuse.client-threshold=3",
                "--ostiary.abuse.client-requests-per-second=5",
                "--ostiary.abuse.client-burst=10",
                "--ostiary.abuse.token-endpoint-deny=127.0.0.2");
        raw = new RawHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Response clientCredentials(String from, String path, String clientId, String secret)
            throws Exception {
        return raw.send(from, "POST", path, RawHttp.form("Authorization", RawHttp.basic(clientId, secret)),
                "grant_type=client_credentials");
    }

    private static void awaitSlowly(String what, ThrowingSupplier<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(300)).until(condition::get);
    }

    private static void await(String what, Supplier<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(50)).until(condition::get);
    }

    @Test
    void whenPathIsPercentEncodedThenAbuseGuardStillApplies() throws Exception {
        // deny list: 127.0.0.2 is refused at every spelling of every client endpoint
        for (String path : concat(TOKEN_PATHS, INTROSPECT_PATHS, REVOKE_PATHS)) {
            RawHttp.Response denied = raw.send("127.0.0.2", "POST", path,
                    RawHttp.form("Authorization", RawHttp.basic("svc-client", "svc-secret")), "token=x&grant_type=client_credentials");
            assertThat(denied.status()).as(path).isEqualTo(403);
            assertThat(denied.body()).as(path).contains("access_denied").doesNotContain("access_token");
        }

        // source lockout: three failures at encoded paths lock 127.0.0.3 out of every spelling, login included
        for (int i = 0; i < 3; i++) {
            assertThat(clientCredentials("127.0.0.3", TOKEN_PATHS.get(1 + i), "nobody-" + i, WRONG).status())
                    .isEqualTo(401);
        }
        await("127.0.0.3 locked", () -> status(() -> clientCredentials("127.0.0.3", "/oauth2/token", "svc-client",
                "svc-secret")) == 429);
        for (String path : concat(TOKEN_PATHS, INTROSPECT_PATHS, REVOKE_PATHS)) {
            RawHttp.Response locked = clientCredentials("127.0.0.3", path, "svc-client", "svc-secret");
            assertThat(locked.status()).as(path).isEqualTo(429);
            assertThat(locked.header("Retry-After")).as(path).isNotBlank();
        }
        for (String login : List.of("/login", "/l%6Fgin", "/%6cogin", "/logi%6E")) {
            RawHttp.Response locked = raw.send("127.0.0.3", "POST", login, RawHttp.form(),
                    "username=alice&password=alice-pw");
            assertThat(locked.status()).as(login).isEqualTo(429);
        }

        // client lock: demo-api fails three times (from 127.0.0.4), then is refused from anywhere else
        for (int i = 0; i < 3; i++) {
            assertThat(clientCredentials("127.0.0.4", "/oauth2/%74oken", "demo-api", WRONG).status()).isEqualTo(401);
        }
        // the lock reaches this instance with the next refresh of the shared locks; polled slower than
        // the client's rate limit, whose 429 must not pass for the lock
        awaitSlowly("demo-api locked", () -> clientCredentials("127.0.0.5", "/oauth2/token", "demo-api",
                "api-secret").body().contains(CLIENT_LOCKED));
        for (String path : TOKEN_PATHS) {
            RawHttp.Response locked = clientCredentials("127.0.0.5", path, "demo-api", "api-secret");
            assertThat(locked.status()).as(path).isEqualTo(429);
            assertThat(locked.body()).as(path).contains(CLIENT_LOCKED).doesNotContain("access_token");
        }

        // rate limit (5/s, burst 10): a burst at the encoded path is limited like one at the plain path
        // (trusted-app may not use this grant: the request fails fast, after client authentication)
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            RawHttp.Response response = raw.send("127.0.0.6", "POST", i % 2 == 0 ? "/oauth2/%74oken" : "/%6Fauth2/token",
                    RawHttp.form("Authorization", RawHttp.basic("trusted-app", "trusted-secret")),
                    "grant_type=client_credentials");
            if (response.status() == 429) {
                assertThat(response.body()).contains("rate limit");
                limited++;
            }
        }
        assertThat(limited).isPositive();
    }

    @Test
    void whenPathIsPercentEncodedThenDPoPIsStillRequired() throws Exception {
        String clientId = "dpop-only-" + UUID.randomUUID().toString().substring(0, 8);
        server.bean(JdbcClient.class).sql("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, scopes,
                    service_roles, require_dpop)
                values (gen_random_uuid(), ?, 'DPoP only', ?, '{client_secret_basic}', '{client_credentials}',
                    '{read}', '{USER}', true)""")
                .param(clientId).param(server.bean(ClientSecretHasher.class).hash("dpop-secret")).update();
        for (String path : TOKEN_PATHS) {
            RawHttp.Response response = clientCredentials("127.0.0.8", path, clientId, "dpop-secret");
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("invalid_dpop_proof").doesNotContain("access_token");
            assertThat(response.header("DPoP-Nonce")).as(path).isNotBlank();
        }
    }

    @Test
    void whenConsentIsPostedToEncodedPathWithoutCsrfThenRefused() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String loginPage = browser.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        browser.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw&_csrf="
                        + URLEncoder.encode(find("name=\"_csrf\" value=\"([^\"]+)\"", loginPage), StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        String state = "s" + UUID.randomUUID();
        HttpResponse<String> toConsent = browser.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=http://127.0.0.1:18999/callback"
                + "&scope=read&state=" + state + Pkce.s256().query())).build(), HttpResponse.BodyHandlers.ofString());
        String consentUrl = toConsent.headers().firstValue("Location").orElseThrow();
        assertThat(consentUrl).contains("/oauth2/consent");
        String consentPage = browser.send(HttpRequest.newBuilder(URI.create(consentUrl.startsWith("http") ? consentUrl
                : server.baseUrl() + consentUrl)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String consentState = find("name=\"state\" value=\"([^\"]+)\"", consentPage).replace("&#39;", "'")
                .replace("&quot;", "\"").replace("&amp;", "&");
        String session = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("SESSION"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        String body = "client_id=web-app&scope=read&state=" + URLEncoder.encode(consentState, StandardCharsets.UTF_8);
        for (String path : List.of("/oauth2/authorize", "/oauth2/%61uthorize", "/%6Fauth2/authorize",
                "/oauth2/authoriz%65")) {
            RawHttp.Response forged = raw.send("127.0.0.1", "POST", path,
                    RawHttp.form("Cookie", "SESSION=" + session), body);
            assertThat(forged.status()).as(path).isEqualTo(403);
            assertThat(forged.header("Location")).as(path).isNull();
        }
    }

    @Test
    void whenJwksPathIsEncodedThenTheSameKeySetIsServed() throws Exception {
        RawHttp.Response plain = raw.get("/oauth2/jwks", Map.of());
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("ETag")).isNotBlank();
        for (String path : JWKS_PATHS) {
            RawHttp.Response response = raw.get(path, Map.of());
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo(plain.body());
            assertThat(response.header("ETag")).as(path).isEqualTo(plain.header("ETag"));
            assertThat(response.header("Cache-Control")).as(path).isEqualTo(plain.header("Cache-Control"));
            assertThat(raw.get(path, Map.of("If-None-Match", plain.header("ETag"))).status()).as(path).isEqualTo(304);
        }
    }

    @Test
    void whenCorsPathIsEncodedThenTheSameOriginsAreAllowed() throws Exception {
        String registered = "http://127.0.0.1:18999";
        for (String path : concat(TOKEN_PATHS, REVOKE_PATHS, JWKS_PATHS)) {
            String method = JWKS_PATHS.contains(path) ? "GET" : "POST";
            RawHttp.Response allowed = raw.send("127.0.0.1", "OPTIONS", path, Map.of("Origin", registered,
                    "Access-Control-Request-Method", method), null);
            assertThat(allowed.header("Access-Control-Allow-Origin")).as(path).isEqualTo(registered);
            RawHttp.Response refused = raw.send("127.0.0.1", "OPTIONS", path, Map.of("Origin", "https://evil.example",
                    "Access-Control-Request-Method", method), null);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.header("Access-Control-Allow-Origin")).as(path).isNull();
        }
    }

    @Test
    void whenUserInfoPathIsEncodedThenTheBearerTokenIsStillRead() throws Exception {
        for (String path : List.of("/userinfo", "/%75serinfo", "/userinf%6F")) {
            RawHttp.Response response = raw.get(path, Map.of("Authorization", "Bearer not-a-token",
                    "Accept", "application/json"));
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(path).contains("invalid_token");
        }
    }

    @Test
    void whenManyUnknownClientIdsThenRateLimiterStaysBounded() throws Exception {
        ClientRateLimiter limiter = server.bean(ClientRateLimiter.class);
        long before = limiter.trackedClients();
        // unauthenticated requests claiming made-up ids (no secret: nothing counts as a failure either)
        for (int i = 0; i < 200; i++) {
            RawHttp.Response response = raw.send("127.0.0.9", "POST", i % 2 == 0 ? "/oauth2/token" : "/oauth2/%74oken",
                    RawHttp.form(), "grant_type=client_credentials&client_id=made-up-" + i + "-" + "x".repeat(2_000));
            assertThat(response.status()).isEqualTo(401);
        }
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(before);
    }

    private static int status(ThrowingSupplier<RawHttp.Response> request) {
        try {
            return request.get().status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static String find(String pattern, String page) {
        Matcher matcher = Pattern.compile(pattern).matcher(page);
        assertThat(matcher.find()).as("%s in page", pattern).isTrue();
        return matcher.group(1);
    }
}
