package dev.ostiary.clustertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lockout counted by the cluster, not by the node: failures spread over the three nodes, fewer on
 * each than the threshold, add up to it (the counters live in PostgreSQL, abuse/FailureCounters).
 */
@Tag("cluster")
@Order(20)
class AbuseAcrossNodesTest {

    /** ostiary.user.lockout-threshold and ostiary.abuse.source-ip-threshold, the defaults the cluster runs with. */
    private static final int USER_THRESHOLD = 5;
    private static final int SOURCE_THRESHOLD = 30;
    /** A locked source reaches every node's memory by the node's own next failure or its refresh (5 s). */
    private static final Duration LOCK_CONVERGENCE = Duration.ofSeconds(15);

    private static Cluster cluster;
    private static ClusterTokens tokens;
    private static String admin;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.shared();
        tokens = new ClusterTokens(cluster);
        admin = tokens.adminToken();
    }

    private static String newUser(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createUser(admin, username, "right-password-" + username);
        return username;
    }

    private static HTTPResponse passwordGrant(String username, String password, int node) {
        return tokens.tokenRequest(ClusterTokens.TRUSTED,
                new ResourceOwnerPasswordCredentialsGrant(username, new Secret(password)), "read", node);
    }

    @Test
    void failedLoginsOnThreeNodesLockTheAccountAtTheThresholdInTotal() throws Exception {
        // control: one failure short of the threshold, spread over the nodes, and the right password still works
        String below = newUser("below");
        for (int attempt = 0; attempt < USER_THRESHOLD - 1; attempt++) {
            int node = attempt % Cluster.NODES + 1;
            assertThat(ClusterAgent.signedIn(new ClusterAgent(cluster).login(below, "wrong", node, node))).isFalse();
        }
        assertThat(passwordGrant(below, "right-password-" + below, 2).getStatusCode()).isEqualTo(200);

        // the threshold reached in total, at most two failures on any one node
        String locked = newUser("locked");
        for (int attempt = 0; attempt < USER_THRESHOLD; attempt++) {
            int node = attempt % Cluster.NODES + 1;
            HttpResponse<String> failed = new ClusterAgent(cluster).login(locked, "wrong", node, node);
            assertThat(ClusterAgent.signedIn(failed)).isFalse();
            assertThat(cluster.nodeOf(failed)).isEqualTo(node);
        }
        for (int node = 1; node <= Cluster.NODES; node++) {
            HTTPResponse refused = passwordGrant(locked, "right-password-" + locked, node);
            assertThat(refused.getStatusCode()).as("node %d", node).isEqualTo(400);
            assertThat(TokenErrorResponse.parse(refused).getErrorObject().getCode()).isEqualTo("invalid_grant");
            assertThat(ClusterAgent.signedIn(new ClusterAgent(cluster).login(locked, "right-password-" + locked, node,
                    node))).as("form login on node %d", node).isFalse();
        }
    }

    private static HttpResponse<String> clientCredentialsFrom(String source, String secret, int node) {
        return cluster.send(HttpRequest.newBuilder(cluster.uri("/oauth2/token"))
                .header("Authorization", Cluster.basic("svc-client", secret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", source)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read")), node);
    }

    /**
     * A source address of its own (TEST-NET-3), so the lock does not shut out 127.0.0.1, where every
     * other test comes from: the client is on loopback, inside ostiary.trusted-proxies, so its own
     * X-Forwarded-For is believed, and nginx appends to it. Checked first through the audit trail.
     */
    @Test
    void failedClientAuthenticationsFromOneSourceOnThreeNodesLockItOutAtTheThresholdInTotal() throws Exception {
        String source = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
        String probe = newUser("probe");
        new ClusterAgent(cluster, source).login(probe, "wrong", 1, 1);
        HttpResponse<String> events = tokens.admin("GET", "/admin/api/audit-events?username=" + probe, null, admin, 1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) (List<?>) JSONObjectUtils.parse(events.body())
                .get("items");
        assertThat(items).as("the probe's failed login, and the source Ostiary saw: %s", events.body())
                .isNotEmpty().allSatisfy(item -> assertThat(item.get("sourceIp"))
                        .as("nginx must append to the client's X-Forwarded-For (proxy_add_x_forwarded_for)")
                        .isEqualTo(source));

        // the probe's failed login was the source's first failure
        int failures = 1;
        int firstRefusal = -1;
        for (int attempt = 0; attempt < 3 * SOURCE_THRESHOLD && firstRefusal < 0; attempt++) {
            int node = attempt % Cluster.NODES + 1;
            int status = clientCredentialsFrom(source, "wrong-secret", node).statusCode();
            if (status == 429) {
                firstRefusal = attempt;
            } else {
                assertThat(status).isEqualTo(401);
                failures++;
            }
        }
        String report = "source lockout across 3 nodes: %d failures counted before the first 429 (threshold %d)"
                .formatted(failures, SOURCE_THRESHOLD);
        System.out.println("[figure] " + report);
        // per node, each would have taken SOURCE_THRESHOLD failures (90 in all); a node that has not
        // yet heard of the lock counts one more failure and learns it from that count
        assertThat(firstRefusal).as(report).isNotNegative();
        assertThat(failures).as(report).isBetween(SOURCE_THRESHOLD, SOURCE_THRESHOLD + Cluster.NODES);

        for (int node = 1; node <= Cluster.NODES; node++) {
            int n = node;
            HttpResponse<String> refused = await().atMost(LOCK_CONVERGENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> clientCredentialsFrom(source, "svc-secret", n), r -> r.statusCode() == 429);
            assertThat(refused.headers().firstValue("Retry-After")).as("node %d", node).isPresent();
        }
        // the lock is the source's: the same client from 127.0.0.1 is served
        assertThat(cluster.postForm("/oauth2/token", "svc-client", "svc-secret",
                "grant_type=client_credentials&scope=read", Cluster.ANY_NODE).statusCode()).isEqualTo(200);
    }
}
