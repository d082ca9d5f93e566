package dev.ostiary.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * M5 and I2: client metadata has bounded lists and sizes whoever registers it, a user has a quota of
 * self-service applications (decided in PostgreSQL, so a burst cannot overrun it), and implicit
 * tokens cannot be configured to live longer than the documented 5 minutes.
 */
class ClientLimitsTest extends ServerTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    private String admin() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private HttpResponse<String> adminCreate(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/clients")).header("Authorization", "Bearer " + admin())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(UserAgent agent) throws Exception {
        Matcher matcher = CSRF.matcher(agent.get("/account/applications/new").body());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    static HttpResponse<String> selfServiceCreate(UserAgent agent, String csrf, String name, String redirectUris)
            throws Exception {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("clientName", List.of(name));
        form.put("grantTypes", List.of(redirectUris == null ? "client_credentials" : "authorization_code"));
        if (redirectUris != null) {
            form.put("redirectUris", List.of(redirectUris));
        }
        form.put("authentication", List.of("secret"));
        form.put("_csrf", List.of(csrf));
        return agent.post("/account/applications", form);
    }

    private long owned(String user) {
        return jdbc.sql("select count(*) from client where owner_username = ?").param(user).query(Long.class).single();
    }

    @Test
    void whenSelfServiceUserExceedsQuotaThenRefused() throws Exception {
        String user = newUser("USER");
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(user, "password");
        String csrf = csrf(agent);
        for (int i = 0; i < 10; i++) {
            assertThat(selfServiceCreate(agent, csrf, "Quota app " + UUID.randomUUID(), null).body())
                    .contains("client-id");
        }
        // 16 at once for the last 10 places: exactly 10 get one
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return selfServiceCreate(agent, csrf, "Quota app " + UUID.randomUUID(), null).body();
                }));
            }
            start.countDown();
            int refused = 0;
            for (Future<String> answer : answers) {
                if (answer.get().contains("the most applications allowed")) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(6);
        } finally {
            pool.shutdownNow();
        }
        assertThat(owned(user)).isEqualTo(20);
        assertThat(selfServiceCreate(agent, csrf, "One too many " + UUID.randomUUID(), null).body())
                .contains("the most applications allowed (20)");
        assertThat(owned(user)).isEqualTo(20);
    }

    @Test
    void whenRedirectUriListIsTooLongThenRefused() throws Exception {
        String user = newUser("USER");
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(user, "password");
        String eleven = IntStream.range(0, 11).mapToObj(i -> "https://app.example/cb/" + i)
                .collect(Collectors.joining("\n"));
        HttpResponse<String> tooMany = selfServiceCreate(agent, csrf(agent), "Many redirects " + UUID.randomUUID(),
                eleven);
        assertThat(tooMany.body()).contains("may hold at most 10 entries");
        HttpResponse<String> tooLong = selfServiceCreate(agent, csrf(agent), "Long redirect " + UUID.randomUUID(),
                "https://app.example/" + "x".repeat(600));
        assertThat(tooLong.body()).contains("must be at most 512 characters");
        assertThat(owned(user)).isZero();

        String uris = IntStream.range(0, 11).mapToObj(i -> "\"https://app.example/cb/" + i + "\"")
                .collect(Collectors.joining(","));
        HttpResponse<String> admin = adminCreate("""
                {"clientName":"Admin many redirects","grantTypes":["authorization_code"],"redirectUris":[%s]}"""
                .formatted(uris));
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(admin.body()).contains("\"field\":\"redirectUris\"", "may hold at most 10 entries");
    }

    @Test
    void whenInlineJwksHasTooManyKeysThenRefused() throws Exception {
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            keys.add(new ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k" + i).generate().toPublicJWK());
        }
        HttpResponse<String> response = adminCreate("""
                {"clientName":"Many keys","grantTypes":["client_credentials"],"authMethods":["private_key_jwt"],
                 "jwks":%s}""".formatted(new JWKSet(keys)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"jwks\"", "at most 10 keys");
    }

    @Test
    void whenImplicitTokenTtlIsOverFiveMinutesThenRefused() throws Exception {
        HttpResponse<String> response = adminCreate("""
                {"clientName":"Long implicit","grantTypes":["implicit"],"redirectUris":["https://app.example/cb"],
                 "implicitTokenTtlSeconds":301}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"implicitTokenTtlSeconds\"", "between 60 and 300");
        // and the database agrees (V9), whatever writes the row
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(
                "update client set implicit_token_ttl_seconds = 3600 where client_id = 'web-app'").update())
                .hasMessageContaining("client_implicit_token_ttl_seconds_check");
    }
}
