package dev.ostiary.clustertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primary stopped (immediate: as if it died) and the standby promoted while load runs: every node
 * answers again within 30 s without being restarted, answers 503 with Retry-After in the gap (never
 * 500), and everything committed before is still there: a client, a user, a consent, a signing key and
 * a signed-in session. Runs last: afterwards the cluster has no standby.
 */
@Tag("cluster")
@Order(100)
class DatabaseFailoverTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    /** The bound: nodes reconnect on their own within this, counted from the promotion. */
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** One answer of a node to the poller (status 0: no answer within the request timeout). */
    private record Answer(int node, Instant at, int status, boolean retryAfter) {
    }

    private static Cluster cluster;
    private static ClusterTokens tokens;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.shared();
        tokens = new ClusterTokens(cluster);
    }

    private static String authorizeQuery() {
        CodeChallenge challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier());
        return "/oauth2/authorize?response_type=code&client_id=web-app&scope=openid%20read&redirect_uri=" + CALLBACK
                + "&state=" + UUID.randomUUID() + "&code_challenge=" + challenge.getValue()
                + "&code_challenge_method=S256";
    }

    /**
     * A password grant straight to a node (no nginx, no retry): it reads the user and writes an
     * authorization row, so it needs a writable primary.
     */
    private static Answer poll(HttpClient http, int node, String username, String password) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.nodeUrl(node) + "/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", Cluster.basic("trusted-app", "trusted-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&scope=read&username=" + username
                        + "&password=" + password))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(node, Instant.now(), response.statusCode(),
                    response.headers().firstValue("Retry-After").isPresent());
        } catch (HttpTimeoutException e) {
            return new Answer(node, Instant.now(), 0, false);
        } catch (Exception e) {
            return new Answer(node, Instant.now(), -1, false);
        }
    }

    @Test
    void primaryStoppedStandbyPromotedUnderLoadNodesRecoverAndNothingCommittedIsLost() throws Exception {
        String admin = tokens.adminToken();
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        // committed before: a client, a user, her consent to web-app, her session, a signing key
        String clientId = "failover-" + suffix;
        HttpResponse<String> created = tokens.admin("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Failover client","grantTypes":["client_credentials"],
                 "authMethods":["client_secret_basic"],"scopes":["read"]}""".formatted(clientId), admin, 1);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String clientSecret = JSONObjectUtils.parse(created.body()).get("clientSecret").toString();
        String username = "failover-" + suffix;
        String password = "password-" + suffix;
        tokens.createUser(admin, username, password);
        ClusterAgent agent = new ClusterAgent(cluster);
        assertThat(ClusterAgent.signedIn(agent.login(username, password, 1, 1))).isTrue();
        HttpResponse<String> consentPage = agent.follow(authorizeQuery(), 2);
        assertThat(ClusterAgent.isConsentPage(consentPage)).as(consentPage.body()).isTrue();
        HttpResponse<String> approved = agent.approve(consentPage.body(), "web-app", List.of("openid", "read"), 2);
        assertThat(ClusterAgent.location(approved)).startsWith(CALLBACK).contains("code=");
        String kid = tokens.rotate(admin);

        HttpClient direct = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean polling = new AtomicBoolean(true);
        ExecutorService pollers = Executors.newFixedThreadPool(Cluster.NODES);
        List<Future<?>> running = new ArrayList<>();
        for (int node = 1; node <= Cluster.NODES; node++) {
            int n = node;
            running.add(pollers.submit(() -> {
                while (polling.get()) {
                    answers.add(poll(direct, n, username, password));
                }
            }));
        }
        Wrk.Running load = Wrk.start(cluster, Duration.ofMinutes(3), 8);
        Instant promoted;
        Map<Integer, Double> recoverySeconds = new TreeMap<>();
        Wrk.Summary summary;
        try {
            await().atMost(WAIT).until(() -> copy(answers).stream().filter(a -> a.status() == 200).map(Answer::node)
                    .distinct().count() == Cluster.NODES);
            cluster.stopPrimary();
            Instant stopped = Instant.now();
            cluster.promoteStandby();
            promoted = Instant.now();
            System.out.printf("[figure] primary stopped, standby accepting writes %.1f s later%n",
                    Duration.between(stopped, promoted).toMillis() / 1000.0);
            for (int node = 1; node <= Cluster.NODES; node++) {
                int n = node;
                Answer first = await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
                        .until(() -> firstSuccessAfter(answers, n, promoted), a -> a != null);
                recoverySeconds.put(node, Duration.between(promoted, first.at()).toMillis() / 1000.0);
            }
            // a little load on the recovered cluster before the run ends
            Instant recovered = Instant.now();
            await().atMost(WAIT).until(() -> copy(answers).stream().filter(a -> a.status() == 200
                    && a.at().isAfter(recovered)).count() >= 3 * Cluster.NODES);
        } finally {
            polling.set(false);
            for (Future<?> poller : running) {
                poller.get(30, TimeUnit.SECONDS);
            }
            pollers.shutdown();
            load.interrupt();
        }
        summary = load.await(WAIT);

        Map<Integer, Long> pollerStatuses = answers.stream().collect(Collectors.groupingBy(Answer::status,
                TreeMap::new, Collectors.counting()));
        String report = "failover under load: nodes answered 200 again %s s after the promotion; direct password"
                .formatted(recoverySeconds) + " grants to the nodes %s (0: no answer in 10 s, -1: connection error);"
                .formatted(pollerStatuses) + " wrk through nginx: " + summary.describe(cluster);
        System.out.println("[figure] " + report);
        assertThat(recoverySeconds).as(report).hasSize(Cluster.NODES);
        assertThat(pollerStatuses).as(report).doesNotContainKey(500);
        assertThat(summary.count(500)).as(report).isZero();
        assertThat(answers).as("every 503 says when to retry").filteredOn(a -> a.status() == 503)
                .allSatisfy(a -> assertThat(a.retryAfter()).isTrue());
        // what the nodes answered in the gap: a success or a 503, nothing else
        assertThat(pollerStatuses.keySet()).as(report).allSatisfy(status -> assertThat(status).isIn(200, 503, 0));

        // nothing committed before the failover is lost; a new admin token proves the new primary takes writes
        String adminAfter = tokens.adminToken();
        assertThat(tokens.admin("GET", "/admin/api/clients/" + clientId, null, adminAfter, 3).statusCode())
                .isEqualTo(200);
        assertThat(cluster.postForm("/oauth2/token", clientId, clientSecret, "grant_type=client_credentials&scope=read",
                2).statusCode()).isEqualTo(200);
        for (int node = 1; node <= Cluster.NODES; node++) {
            assertThat(tokens.jwksOf(node)).as("node %d publishes the key made before", node).contains(kid);
        }
        HttpResponse<String> keys = tokens.admin("GET", "/admin/api/keys", null, adminAfter, 1);
        assertThat(keys.body()).contains(kid);
        // the remembered consent: signed in again, web-app gets its code without asking
        ClusterAgent again = new ClusterAgent(cluster);
        assertThat(ClusterAgent.signedIn(again.login(username, password, 3, 3))).isTrue();
        HttpResponse<String> remembered = again.follow(authorizeQuery(), 1);
        assertThat(remembered.statusCode()).as(remembered.body()).isEqualTo(302);
        assertThat(ClusterAgent.location(remembered)).startsWith(CALLBACK).contains("code=");
        // the session from before (Spring Session JDBC, branch sessions), on a node it never used
        HttpResponse<String> session = agent.follow(authorizeQuery(), 3);
        assertThat(ClusterAgent.location(session)).as("the session signed in before the failover")
                .startsWith(CALLBACK).contains("code=");
    }

    private static List<Answer> copy(List<Answer> answers) {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    private static Answer firstSuccessAfter(List<Answer> answers, int node, Instant after) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.node() == node && a.status() == 200 && a.at().isAfter(after))
                    .findFirst().orElse(null);
        }
    }
}
