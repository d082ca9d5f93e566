package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * Two Ostiary instances on one database: one rotates, both follow, and a due rotation happens once;
 * a token revoked on one is inactive on the other; a user locked on one loses their session on the
 * other (review H4; was SessionsAcrossInstancesTest, which started a pair of its own).
 */
class TwoInstancesTest {

    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private static StandaloneServer first;
    private static StandaloneServer second;

    @BeforeAll
    static void start() {
        String database = EmbeddedPostgresSupport.newDatabase();
        // scheduled rotation off: the test calls the schedule itself, on both at once
        first = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false");
        second = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false");
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    private static String kid(StandaloneServer server) throws Exception {
        return SignedJWT.parse(TokensClient.clientCredentials(server.baseUrl(), "svc-client", "svc-secret", "read"))
                .getHeader().getKeyID();
    }

    @Test
    void whenOneInstanceRotatesThenTheOtherSignsWithTheNewKey() throws Exception {
        assertThat(kid(second)).isEqualTo(kid(first));
        String rotated = first.bean(SigningKeyService.class).rotateNow(SigningAlgorithm.RS256);
        // the change reaches the other instance by notification (or its periodic reload); the bound is
        // generous because the machine running the tests may be busy, the wait ends as soon as it is seen
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).until(() -> kid(second).equals(rotated));
        String fromSecond = TokensClient.clientCredentials(second.baseUrl(), "svc-client", "svc-secret", "read");
        assertThat(Jwks.verify(first.baseUrl(), fromSecond).getSubject()).isEqualTo("svc-client");
    }

    @Test
    void whenBothInstancesFindRotationDueThenOnlyOneRotates() throws Exception {
        JdbcClient jdbc = first.bean(JdbcClient.class);
        KeysProperties properties = first.bean(KeysProperties.class);
        jdbc.sql("delete from signing_key where algorithm = 'ES256' and state = 'next'").update();
        jdbc.sql("update signing_key set activated_at = now() - ?::interval where algorithm = 'ES256' and state = 'active'")
                .param(properties.rotationPeriod().plusDays(1).toSeconds() + " seconds").update();

        for (int round = 0; round < 2; round++) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Callable<Boolean>> both = List.of(() -> first.bean(SigningKeyService.class).rotateIfDue(),
                    () -> second.bean(SigningKeyService.class).rotateIfDue());
            for (Future<Boolean> result : pool.invokeAll(both)) {
                result.get();
            }
            pool.shutdown();
            Integer nextKeys = jdbc.sql("select count(*) from signing_key where algorithm = 'ES256' and state = 'next'")
                    .query(Integer.class).single();
            Integer activeKeys = jdbc.sql("select count(*) from signing_key where algorithm = 'ES256' and state = 'active'")
                    .query(Integer.class).single();
            assertThat(nextKeys).as("round %d", round).isEqualTo(1);
            assertThat(activeKeys).isEqualTo(1);
        }
    }

    /** Each instance keeps the revocation list in memory: a revocation elsewhere must reach it. */
    @Test
    void whenOneInstanceRevokesAnAccessTokenThenTheOtherReportsItInactive() throws Exception {
        String token = TokensClient.clientCredentials(first.baseUrl(), "svc-client", "svc-secret", "read");
        assertThat(active(second, token)).isTrue();

        assertThat(TokensClient.revoke(first.baseUrl(), "svc-client", "svc-secret", token)).isEqualTo(200);

        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() -> !active(second, token));
        assertThat(active(first, token)).isFalse();
    }

    private static boolean active(StandaloneServer server, String token) throws Exception {
        return TokensClient.isActive(server.baseUrl(), "demo-api", "api-secret", token);
    }

    /**
     * A lock on one instance must end the user's session on the other (sessions live in PostgreSQL:
     * the lock marks them expired there, SessionsAcrossNodesTest has the rest).
     */
    @Test
    void whenUserIsLockedOnOneInstanceThenTheirSessionOnAnotherEnds() throws Exception {
        String admin = TokensClient.adminToken(first.baseUrl());
        String username = "ivy-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(adminCall(first, "POST", "/admin/api/users",
                "{\"username\":\"%s\",\"password\":\"ivy-password\",\"roles\":[\"USER\"]}".formatted(username),
                admin)).isEqualTo(201);
        UserAgent browser = new UserAgent(second.baseUrl());
        browser.login(username, "ivy-password");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

        assertThat(adminCall(first, "POST", "/admin/api/users/" + username + "/lock", null, admin)).isEqualTo(200);

        // the notification arrives after the lock commits: wait for it, bounded
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.get("/account/applications").statusCode(), status -> status != 200);
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(browser.get("/account/applications"))).contains("/login");
    }

    private static int adminCall(StandaloneServer server, String method, String path, String json, String token)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
