package dev.ostiary.clustertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The signing key rotated three times through the admin API (through nginx, so on whichever node)
 * while clients keep getting tokens from all three nodes and calling the sample API: every node
 * publishes and signs with the new key within seconds, and every token issued during the run verifies
 * at the sample API, during the run and after it.
 */
@Tag("cluster")
@Order(40)
class KeyRotationAcrossNodesTest {

    /** One token, where it came from and what the sample API said to it. */
    private record Issued(String token, String kid, int node, int apiStatus) {
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What every node's JWKS may lag a rotation: the notification, or at worst ostiary.keys.refresh-interval (5 s). */
    private static final Duration JWKS_CONVERGENCE = Duration.ofSeconds(15);

    private static Cluster cluster;
    private static ClusterTokens tokens;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.shared();
        tokens = new ClusterTokens(cluster);
    }

    /**
     * A rotation promotes the next key the rotation before it published. The sample API refetches its
     * JWKS for an unknown kid at most once per {@code sample.jwks-min-refresh-interval} (10 s unless
     * the cluster sets SAMPLE_JWKS_MIN_REFRESH_INTERVAL): two rotations closer than that could hand it
     * a kid it may not fetch yet (see sampleapi/RotationUnderTrafficTest, docs/key-rotation.md).
     */
    private static Duration apiRefetchInterval() {
        try {
            return Duration.parse(cluster.env("SAMPLE_JWKS_MIN_REFRESH_INTERVAL"));
        } catch (IllegalStateException notSet) {
            return Duration.ofSeconds(10);
        }
    }

    private static long signedBy(String kid, List<Issued> issued, int node) {
        synchronized (issued) {
            return issued.stream().filter(i -> i.kid().equals(kid) && (node == 0 || i.node() == node)).count();
        }
    }

    private static int callApi(String token) {
        return cluster.send(HttpRequest.newBuilder(URI.create(cluster.sampleApiUrl() + "/api/doctors/1"))
                .header("Authorization", "Bearer " + token), Cluster.ANY_NODE).statusCode();
    }

    @Test
    void threeRotationsUnderLoadEveryTokenVerifiesAtTheSampleApi() throws Exception {
        String admin = tokens.adminToken();
        List<Issued> issued = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService traffic = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            boolean user = w == 3;
            workers.add(traffic.submit(() -> {
                long until = System.currentTimeMillis() + 180_000;
                while (running.get() && System.currentTimeMillis() < until) {
                    HTTPResponse response = user
                            ? tokens.tokenRequest(ClusterTokens.TRUSTED,
                                    new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), "read",
                                    Cluster.ANY_NODE)
                            : tokens.tokenRequest(ClusterTokens.SVC, new ClientCredentialsGrant(), "read",
                                    Cluster.ANY_NODE);
                    String token = tokens.tokens(response).getAccessToken().getValue();
                    issued.add(new Issued(token, SignedJWT.parse(token).getHeader().getKeyID(), cluster.nodeOf(response),
                            callApi(token)));
                }
                return null;
            }));
        }
        List<String> rotatedTo = new ArrayList<>();
        try {
            await().atMost(WAIT).until(() -> issued.size() >= 10);
            Instant previousRotation = Instant.EPOCH;
            Duration spacing = apiRefetchInterval().plusSeconds(2);
            for (int rotation = 0; rotation < 3; rotation++) {
                Instant after = previousRotation.plus(spacing);
                await().atMost(WAIT).until(() -> Instant.now().isAfter(after));
                String kid = tokens.rotate(admin);
                previousRotation = Instant.now();
                rotatedTo.add(kid);
                // every node publishes it, and every node signs with it
                for (int node = 1; node <= Cluster.NODES; node++) {
                    int n = node;
                    await().atMost(JWKS_CONVERGENCE).pollInterval(Duration.ofMillis(100))
                            .until(() -> tokens.jwksOf(n).contains(kid));
                    await().atMost(JWKS_CONVERGENCE).pollInterval(Duration.ofMillis(100))
                            .until(() -> signedBy(kid, issued, n) >= 1);
                }
            }
        } finally {
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            traffic.shutdown();
        }

        Map<Integer, Long> byNode = issued.stream().collect(Collectors.groupingBy(Issued::node, Collectors.counting()));
        Map<Integer, Long> statuses = issued.stream().collect(Collectors.groupingBy(Issued::apiStatus,
                Collectors.counting()));
        Map<String, Long> byKid = issued.stream().collect(Collectors.groupingBy(Issued::kid, Collectors.counting()));
        String report = "3 key rotations under load: %d tokens (by node %s, by kid %s), sample API answers %s"
                .formatted(issued.size(), byNode, byKid, statuses);
        System.out.println("[figure] " + report);
        assertThat(byNode.keySet()).as(report).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(byKid.keySet()).as(report).containsAll(rotatedTo);
        assertThat(issued).as(report).allSatisfy(i -> assertThat(i.apiStatus()).as("kid %s from node %d", i.kid(),
                i.node()).isEqualTo(200));
        // and still, after the run: every token of every key
        long failedAfter = issued.stream().filter(i -> callApi(i.token()) != 200).count();
        assertThat(failedAfter).as("tokens of the run refused afterwards").isZero();
    }
}
