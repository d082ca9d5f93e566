package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;

/**
 * Failed authentications are counted per source address and client; past the threshold the source
 * gets 429 with Retry-After. A per-client rate limit and an address deny list, when configured.
 * Its own server: these settings and locks would disturb other tests.
 */
class AbuseControlsTest {

    private static StandaloneServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.abuse.source-ip-threshold=4",
                "--ostiary.abuse.client-requests-per-second=5",
                "--ostiary.abuse.client-burst=5",
                "--ostiary.abuse.token-endpoint-deny=192.0.2.0/24,127.0.0.2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpRequest tokenRequest(String clientId, String secret) {
        return HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
    }

    private HttpResponse<String> token(String clientId, String secret) throws Exception {
        return http.send(tokenRequest(clientId, secret), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenSourceFailsPastThresholdThenItGets429WithRetryAfterAndFailuresAreCountedInPostgres() throws Exception {
        // from 127.0.0.1; the rate-limit test uses another client and never fails authentication
        for (int i = 0; i < 4; i++) {
            assertThat(token("svc-client", "wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = token("svc-client", "svc-secret");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(Integer.parseInt(locked.headers().firstValue("Retry-After").get())).isPositive();
        assertThat(locked.body()).contains("too_many_requests").doesNotContain("access_token");

        // counted per source; per client only when a client threshold is set (nothing else reads it)
        Integer ipFailures = server.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("select failures from failure_counter where kind = 'SOURCE_IP' and key = '127.0.0.1'")
                .query(Integer.class).single();
        assertThat(ipFailures).isEqualTo(4);
        server.bean(dev.ostiary.abuse.SourceGuard.class).unlockSource("127.0.0.1");
        // unlocked: the next request goes through once the client's own request rate (5/s) has refilled
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> token("svc-client", "svc-secret").statusCode(), status -> status == 200);
    }

    @Test
    void whenClientExceedsItsRateThenSomeRequestsGet429() throws Exception {
        // 40 requests at once against a bucket of 5 refilled at 5/s: at least the burst passes, at most 5 more per
        // second the burst took, and every other answer is a 429 (the bound holds however slow the machine is; the
        // burst would have to take 7 s for no request to be limited)
        long started = System.nanoTime();
        List<HttpResponse<String>> answers = IntStream.range(0, 40)
                .mapToObj(i -> http.sendAsync(tokenRequest("demo-api", "api-secret"), HttpResponse.BodyHandlers.ofString()))
                .toList().stream().map(CompletableFuture::join).toList();
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() != 200).toList();
        assertThat(ok).isGreaterThanOrEqualTo(5).isLessThanOrEqualTo(5 + (long) Math.ceil(5 * elapsedSeconds));
        assertThat(limited).isNotEmpty().allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("too_many_requests").doesNotContain("access_token");
        });
    }

    @Test
    void whenSourceIsOnTheDenyListThenTokenEndpointRefusesIt() throws Exception {
        // 127.0.0.2 is on the deny list; the request leaves from that loopback address
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
            java.net.URI base = java.net.URI.create(server.baseUrl());
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", base.getPort()));
            String body = "grant_type=client_credentials";
            String request = "POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString("svc-client:svc-secret".getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403").doesNotContain("access_token");
        }
        // only the denied address is refused: 127.0.0.1 still gets its token
        assertThat(token("svc-client", "svc-secret").statusCode()).isEqualTo(200);
    }
}
