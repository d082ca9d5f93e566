package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.replay.SeenJtis;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * Issue 13, class 2 and 3: whatever may be used once is used once, decided by PostgreSQL however
 * many requests arrive at once; and nothing stored is accepted as a token.
 */
class SingleUseTest extends ServerTest {

    private static final int CONCURRENT = 32;
    private static final int ROUNDS = 10;
    private static final int LOCKOUT_THRESHOLD = 5;
    private static final String CALLBACK = "http://127.0.0.1:18999/callback";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Autowired
    SeenJtis seenJtis;

    // ----- refresh rotation (M2) -----

    @Test
    void whenRefreshTokenIsUsedConcurrentlyThenExactlyOneSucceedsAndTheFamilyIsRevoked() throws Exception {
        String user = newUser("USER");
        for (int round = 0; round < ROUNDS; round++) {
            String refreshToken = json(token("trusted-app", "trusted-secret",
                    form("grant_type", "password", "username", user, "password", "password", "scope", "read")))
                    .get("refresh_token");
            List<HttpResponse<String>> answers = all(CONCURRENT, () -> tokenAsync("trusted-app", "trusted-secret",
                    form("grant_type", "refresh_token", "refresh_token", refreshToken)));

            List<HttpResponse<String>> won = answers.stream().filter(a -> a.statusCode() == 200).toList();
            assertThat(won).as("round %d", round).hasSize(1);
            assertThat(answers.stream().filter(a -> a.statusCode() == 400 && a.body().contains("\"invalid_grant\"")))
                    .as("round %d", round).hasSize(CONCURRENT - 1);
            // the losers count as reuse: the family is revoked, the winner's tokens included
            Map<String, String> winner = json(won.get(0));
            assertThat(isActive(winner.get("access_token"))).as("round %d", round).isFalse();
            HttpResponse<String> afterwards = token("trusted-app", "trusted-secret",
                    form("grant_type", "refresh_token", "refresh_token", winner.get("refresh_token")));
            assertThat(afterwards.statusCode()).isEqualTo(400);
            assertThat(afterwards.body()).contains("\"invalid_grant\"");
        }
    }

    // ----- code redemption (M2) -----

    @Test
    void whenCodeIsRedeemedConcurrentlyThenExactlyOneSucceeds() throws Exception {
        String user = newUser("USER");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user, "password");
        for (int round = 0; round < ROUNDS; round++) {
            Pkce pkce = Pkce.s256();
            String code = code(browser, pkce);
            List<HttpResponse<String>> answers = all(CONCURRENT, () -> tokenAsync("web-app", "web-secret",
                    form("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK,
                            "code_verifier", pkce.verifier().getValue())));

            List<HttpResponse<String>> won = answers.stream().filter(a -> a.statusCode() == 200).toList();
            assertThat(won).as("round %d", round).hasSize(1);
            assertThat(answers.stream().filter(a -> a.statusCode() == 400 && a.body().contains("\"invalid_grant\"")))
                    .as("round %d", round).hasSize(CONCURRENT - 1);
            // RFC 6749 §4.1.2: the tokens issued with a code used more than once are revoked
            Map<String, String> winner = json(won.get(0));
            assertThat(isActive(winner.get("access_token"))).as("round %d", round).isFalse();
            assertThat(token("web-app", "web-secret", form("grant_type", "refresh_token",
                    "refresh_token", winner.get("refresh_token"))).statusCode()).isEqualTo(400);
        }
    }

    // ----- lockout (H2) -----

    @Test
    void whenWrongPasswordsBurstThenAtMostThresholdAreEvaluatedAndCorrectPasswordIsRefused() throws Exception {
        for (int round = 0; round < 4; round++) {
            // two rounds with the correct password inside the burst, two without
            boolean withCorrect = round % 2 == 0;
            String user = newUser("USER");
            List<HttpResponse<String>> answers = all(CONCURRENT + 1, i -> tokenAsync("trusted-app", "trusted-secret",
                    form("grant_type", "password", "username", user, "password",
                            withCorrect && i == CONCURRENT / 2 ? "password" : "wrong-" + i, "scope", "read")));
            long succeeded = answers.stream().filter(a -> a.statusCode() == 200).count();
            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(200, 400));
            assertBurstBounded(user, succeeded, CONCURRENT + 1, !withCorrect);

            if (locked(user)) {
                HttpResponse<String> after = token("trusted-app", "trusted-secret",
                        form("grant_type", "password", "username", user, "password", "password", "scope", "read"));
                assertThat(after.statusCode()).isEqualTo(400);
                assertThat(after.body()).contains("\"invalid_grant\"", "locked").doesNotContain("access_token");
            }
        }
    }

    @Test
    void whenCorrectPasswordsBurstThenEveryOneIsCheckedAndNothingIsLocked() throws Exception {
        String user = newUser("USER");
        // a service account's client sending many grants at once: far more than the threshold's places
        List<HttpResponse<String>> answers = all(CONCURRENT, i -> tokenAsync("trusted-app", "trusted-secret",
                form("grant_type", "password", "username", user, "password", "password", "scope", "read")));
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        assertThat(locked(user)).isFalse();
        assertThat(jdbc.sql("select count(*) from audit_event where username = ? and type = 'login.failed'")
                .param(user).query(Integer.class).single()).isZero();
        // the places were given back: a correct password still works
        assertThat(token("trusted-app", "trusted-secret",
                form("grant_type", "password", "username", user, "password", "password", "scope", "read"))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void whenWrongPasswordsBurstAtTheLoginFormThenAtMostThresholdAreEvaluatedAndCorrectPasswordIsRefused()
            throws Exception {
        String user = newUser("USER");
        // a session and CSRF token each, fetched first, so that the posts go out together
        List<UserAgent> sessions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i <= CONCURRENT; i++) {
            UserAgent session = new UserAgent(baseUrl());
            tokens.add(csrf(session.get("/login").body()));
            sessions.add(session);
        }
        List<HttpResponse<String>> answers = all(CONCURRENT + 1, i -> CompletableFuture.supplyAsync(() -> {
            try {
                return sessions.get(i).post("/login", Map.of("username", List.of(user), "password",
                        List.of("wrong-" + i), "_csrf", List.of(tokens.get(i))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        long succeeded = answers.stream().filter(a -> !UserAgent.location(a).contains("error")).count();
        assertBurstBounded(user, succeeded, CONCURRENT + 1, true);

        UserAgent browser = new UserAgent(baseUrl());
        String refused = UserAgent.location(browser.login(user, "password"));
        assertThat(refused).contains("/login?error");
        assertThat(browser.get(refused).body()).contains("locked");
    }

    /**
     * Every attempt is audited once: as checked (login.succeeded, or login.failed with a failure
     * count) or as refused unchecked (login.failed, reason locked). At most the threshold of wrong
     * passwords may have been checked; a success gives its place back but forgets no failure, so a
     * correct password in the burst can only have succeeded while fewer than
     * {@value #LOCKOUT_THRESHOLD} guesses had failed, as it could sequentially. Without a correct
     * password the burst always ends with the name locked.
     */
    private void assertBurstBounded(String user, long succeeded, int attempts, boolean mustEndLocked)
            throws Exception {
        await(() -> jdbc.sql("select count(*) from audit_event where username = ? and type like 'login.%'")
                .param(user).query(Integer.class).single() >= attempts);
        int wrongChecked = jdbc.sql("select count(*) from audit_event where username = ? and type = 'login.failed'"
                + " and details ->> 'failures' is not null").param(user).query(Integer.class).single();
        // refused unchecked: locked, or (rarely, a slow machine) no place came free within the patience
        int refused = jdbc.sql("select count(*) from audit_event where username = ? and type = 'login.failed'"
                + " and details ->> 'reason' in ('locked', 'busy')").param(user).query(Integer.class).single();
        assertThat(wrongChecked).isLessThanOrEqualTo(LOCKOUT_THRESHOLD);
        assertThat(succeeded).isLessThanOrEqualTo(1);
        assertThat(wrongChecked + refused + succeeded).isEqualTo(attempts);
        if (mustEndLocked) {
            assertThat(wrongChecked).isEqualTo(LOCKOUT_THRESHOLD);
            assertThat(locked(user)).isTrue();
        }
    }

    private boolean locked(String user) {
        return jdbc.sql("select coalesce(bool_or(locked_until > now()), false) from failure_counter"
                + " where kind = 'USER' and key = ?").param(user).query(Boolean.class).single();
    }

    // ----- stored values are not tokens (M3) -----

    @Test
    void whenDigestFromDatabaseDumpIsPresentedThenItIsNotAToken() throws Exception {
        String user = newUser("USER");
        Map<String, String> tokens = json(token("trusted-app", "trusted-secret",
                form("grant_type", "password", "username", user, "password", "password", "scope", "read")));
        Map<String, Object> row = jdbc.sql("select refresh_token_hash, access_token_hash from oauth2_authorization"
                + " where refresh_token_hash = sha256(convert_to(?, 'UTF8'))")
                .param(tokens.get("refresh_token")).query().singleRow();
        String refreshDigest = asPresented((byte[]) row.get("refresh_token_hash"));
        String accessDigest = asPresented((byte[]) row.get("access_token_hash"));

        // refresh grant
        HttpResponse<String> refresh = token("trusted-app", "trusted-secret",
                form("grant_type", "refresh_token", "refresh_token", refreshDigest));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(refresh.body()).contains("\"invalid_grant\"").doesNotContain("access_token");
        // introspection, by the registered introspector
        for (String digest : List.of(accessDigest, refreshDigest)) {
            HttpResponse<String> introspection = post("/oauth2/introspect", "demo-api", "api-secret",
                    form("token", digest));
            assertThat(introspection.statusCode()).isEqualTo(200);
            assertThat(introspection.body()).contains("\"active\":false");
        }
        // revocation: answered like any unknown token (RFC 7009 §2.2), and it revoked nothing
        assertThat(post("/oauth2/revoke", "trusted-app", "trusted-secret", form("token", refreshDigest,
                "token_type_hint", "refresh_token")).statusCode()).isEqualTo(200);
        assertThat(isActive(tokens.get("access_token"))).isTrue();
        assertThat(token("trusted-app", "trusted-secret", form("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token"))).statusCode()).isEqualTo(200);

        // authorization code
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user, "password");
        Pkce pkce = Pkce.s256();
        String code = code(browser, pkce);
        byte[] codeHash = jdbc.sql("select code_hash from oauth2_authorization where code_hash = sha256(convert_to(?, 'UTF8'))")
                .param(code).query(byte[].class).single();
        HttpResponse<String> byDigest = token("web-app", "web-secret", form("grant_type", "authorization_code",
                "code", asPresented(codeHash), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier().getValue()));
        assertThat(byDigest.statusCode()).isEqualTo(400);
        assertThat(byDigest.body()).contains("\"invalid_grant\"");
        assertThat(token("web-app", "web-secret", form("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "code_verifier", pkce.verifier().getValue())).statusCode()).isEqualTo(200);
    }

    /** How the old placeholder syntax spelled a stored digest. */
    private static String asPresented(byte[] digest) {
        return "#sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    // ----- reuse detection bound to the client (L3) -----

    @Test
    void whenRotatedRefreshTokenIsPresentedByAnotherClientThenTheFamilyIsNotRevoked() throws Exception {
        String user = newUser("USER");
        String first = json(token("trusted-app", "trusted-secret",
                form("grant_type", "password", "username", user, "password", "password", "scope", "read")))
                .get("refresh_token");
        Map<String, String> second = json(token("trusted-app", "trusted-secret",
                form("grant_type", "refresh_token", "refresh_token", first)));

        HttpResponse<String> byOther = token("web-app", "web-secret",
                form("grant_type", "refresh_token", "refresh_token", first));
        assertThat(byOther.statusCode()).isEqualTo(400);
        assertThat(byOther.body()).contains("\"invalid_grant\"");
        assertThat(isActive(second.get("access_token"))).isTrue();
        assertThat(token("trusted-app", "trusted-secret", form("grant_type", "refresh_token",
                "refresh_token", second.get("refresh_token"))).statusCode()).isEqualTo(200);
    }

    @Test
    void whenPublicClientsRotatedRefreshTokenIsPresentedWithAnotherKeyThenTheFamilyIsNotRevoked() throws Exception {
        String clientId = dev.ostiary.support.TestClients.publicMobileApp(jdbc);
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        String code = UserAgent.parameters(UserAgent.location(agent.follow("/oauth2/authorize?response_type=code"
                + "&client_id=" + clientId + "&redirect_uri=http://127.0.0.1:18999/mobile&scope=read&state=m"
                + pkce.query())), false).get("code");
        com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory familyKey = proofs();
        Map<String, String> first = json(dpop(form("grant_type", "authorization_code", "client_id", clientId,
                "code", code, "redirect_uri", "http://127.0.0.1:18999/mobile",
                "code_verifier", pkce.verifier().getValue()), familyKey));
        Map<String, String> second = json(dpop(form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", first.get("refresh_token")), familyKey));

        // someone with the leaked old token but not the key: refused, and the family lives on
        HttpResponse<String> withOtherKey = dpop(form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", first.get("refresh_token")), proofs());
        assertThat(withOtherKey.statusCode()).isEqualTo(400);
        assertThat(withOtherKey.body()).contains("\"invalid_grant\"");
        Map<String, String> third = json(dpop(form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", second.get("refresh_token")), familyKey));

        // the key's holder presenting an old token is a reuse: the family goes
        HttpResponse<String> reuse = dpop(form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", first.get("refresh_token")), familyKey);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(reuse.body()).contains("\"invalid_grant\"");
        assertThat(dpop(form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", third.get("refresh_token")), familyKey).statusCode()).isEqualTo(400);
    }

    private static com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory proofs() throws Exception {
        return new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate(),
                com.nimbusds.jose.JWSAlgorithm.ES256);
    }

    /** A token request from a public client: no client authentication, a DPoP proof with the current nonce. */
    private HttpResponse<String> dpop(String body, com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory proofs)
            throws Exception {
        String nonce = token("svc-client", "svc-secret", "grant_type=client_credentials&scope=read")
                .headers().firstValue("DPoP-Nonce").orElseThrow();
        URI endpoint = URI.create(baseUrl() + "/oauth2/token");
        String proof = proofs.createDPoPJWT("POST", endpoint, new com.nimbusds.openid.connect.sdk.Nonce(nonce))
                .serialize();
        return http.send(HttpRequest.newBuilder(endpoint).header("DPoP", proof)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ----- jti replay window (L4) -----

    @Test
    void whenJtiIsReplayedWithinTheClockSkewAfterItsExpiryThenItIsStillRefused() {
        String jti = java.util.UUID.randomUUID().toString();
        // expired 30 s ago: JwtTimestampValidator still accepts it for another 30 s
        Instant expiredAt = Clock.systemUTC().instant().minusSeconds(30);
        assertThat(seenJtis.firstUse(SeenJtis.Kind.CLIENT_ASSERTION, "some-client", jti, expiredAt)).isTrue();
        seenJtis.purge();
        assertThat(seenJtis.firstUse(SeenJtis.Kind.CLIENT_ASSERTION, "some-client", jti, expiredAt)).isFalse();
    }

    // ----- helpers -----

    private String code(UserAgent browser, Pkce pkce) throws Exception {
        HttpResponse<String> response = browser.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=s" + pkce.query());
        if (response.statusCode() == 200 && response.body().contains("submit-consent")) {
            response = browser.answerConsent(response.body(), "web-app", List.of("read"));
        }
        return UserAgent.parameters(UserAgent.location(response), false).get("code");
    }

    private boolean isActive(String accessToken) throws Exception {
        return TokensClient.isActive(baseUrl(), "demo-api", "api-secret", new BearerAccessToken(accessToken).getValue());
    }

    private static String form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private HttpRequest request(String path, String clientId, String secret, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> post(String path, String clientId, String secret, String body) throws Exception {
        return http.send(request(path, clientId, secret, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(String clientId, String secret, String body) throws Exception {
        return post("/oauth2/token", clientId, secret, body);
    }

    private CompletableFuture<HttpResponse<String>> tokenAsync(String clientId, String secret, String body) {
        return http.sendAsync(request("/oauth2/token", clientId, secret, body), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code count} requests at once (each is sent as soon as it is built) and waits for all. */
    private static List<HttpResponse<String>> all(int count,
            java.util.function.IntFunction<CompletableFuture<HttpResponse<String>>> request) {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return request.apply(index).join();
                }, threads));
            }
            start.countDown();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }
    }

    private static List<HttpResponse<String>> all(int count, Supplier<CompletableFuture<HttpResponse<String>>> request) {
        return all(count, i -> request.get());
    }

    private static Map<String, String> json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = new tools.jackson.databind.json.JsonMapper().readValue(response.body(), Map.class);
        Map<String, String> values = new java.util.HashMap<>();
        parsed.forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }

    private static String csrf(String page) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
