package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;

/**
 * Readiness includes the key set: a node that holds no active key for one of its algorithms (here
 * the active ES256 key revoked by SQL, as an operator would in an emergency, and no successor yet)
 * is taken out of the load balancer, while liveness stays UP; it is ready again once a key is active.
 */
class SigningKeysReadinessTest {

    @Test
    void whenAnAlgorithmHasNoActiveKeyThenNotReadyUntilOneIsActive() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.keys.algorithms=RS256,ES256")) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(probe(http, server, "readiness")).isEqualTo(200);

            server.bean(JdbcClient.class).sql("update signing_key set state = 'revoked' where algorithm = 'ES256'"
                    + " and state = 'active'").update();
            // every instance reloads on the key table's NOTIFY (or its periodic refresh)
            await("not ready").atMost(Duration.ofSeconds(30)).until(() -> probe(http, server, "readiness") == 503);
            assertThat(probe(http, server, "liveness")).isEqualTo(200);
            assertThat(server.bean(SigningKeySet.class).current().activeKey(SigningAlgorithm.RS256)).isPresent();

            server.bean(SigningKeyService.class).ensureSigningKeys();
            await("ready again").atMost(Duration.ofSeconds(30)).until(() -> probe(http, server, "readiness") == 200);
            assertThat(server.bean(SigningKeySet.class).current().activeKey(SigningAlgorithm.ES256)).isPresent();
        }
    }

    private static int probe(HttpClient http, StandaloneServer server, String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.managementUrl() + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
