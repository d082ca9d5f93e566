package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.support.Jwks;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.TwoInstances;

/**
 * Two Ostiary instances on one database: one rotates, both follow, and a due rotation happens once;
 * a token revoked on one is inactive on the other.
 */
class TwoInstancesTest {

    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private static StandaloneServer first;
    private static StandaloneServer second;

    @BeforeAll
    static void start() {
        // scheduled rotation off: the test calls the schedule itself, on both at once
        first = TwoInstances.first();
        second = TwoInstances.second();
    }

    private static String kid(StandaloneServer server) throws Exception {
        return SignedJWT.parse(TokensClient.clientCredentials(server.baseUrl(), "svc-client", "svc-secret", "read"))
                .getHeader().getKeyID();
    }

    @Test
    void whenOneInstanceRotatesThenTheOtherSignsWithTheNewKey() throws Exception {
        // the pair is shared: whatever an earlier test changed has reached both before this one starts
        await().atMost(PROPAGATION).until(() -> kid(second).equals(kid(first)));
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
}
