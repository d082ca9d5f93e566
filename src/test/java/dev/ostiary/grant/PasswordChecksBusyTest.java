package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;

/**
 * The bounded Argon2 line (issue 13): when it is full, a password grant is refused at once as
 * retryable (503 {@code temporarily_unavailable} with {@code Retry-After}), not as a wrong password
 * ({@code invalid_grant}, which no client retries). Its own server: one hashing thread, a line of one,
 * and lockouts out of the way so only the line refuses.
 */
class PasswordChecksBusyTest {

    private static StandaloneServer server;

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.users.argon2-queue-capacity=1",
                "--ostiary.users.argon2-concurrency=1",
                "--ostiary.users.lockout-threshold=1000",
                "--ostiary.abuse.source-ip-threshold=1000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void whenArgon2LineIsFullThenPasswordGrantIsTemporarilyUnavailable() throws Exception {
        int burst = 32;
        RawHttp raw = new RawHttp(server.baseUrl());
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        Map<Integer, Integer> all = new TreeMap<>();
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch ready = new CountDownLatch(burst);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RawHttp.Response>> answers = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    answers.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return raw.post("/oauth2/token",
                                RawHttp.form("Authorization", RawHttp.basic("trusted-app", "trusted-secret")),
                                "grant_type=password&username=alice&password=alice-pw&scope=read");
                    }));
                }
                ready.await();
                go.countDown();
                for (Future<RawHttp.Response> answer : answers) {
                    RawHttp.Response response = answer.get();
                    all.merge(response.status(), 1, Integer::sum);
                    assertThat(response.status()).as(response.body()).isIn(200, 503);
                    if (response.status() == 503) {
                        assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"")
                                .doesNotContain("invalid_grant");
                        assertThat(response.header("Retry-After")).isEqualTo("1");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("Busy Argon2 line, 3 x 32 password grants at once: " + all);
        // one hashing thread and a line of one cannot take 32 at once
        assertThat(all.getOrDefault(503, 0)).isPositive();
        assertThat(all.getOrDefault(200, 0)).isPositive();
        // with the line free again, the same login works
        assertThat(raw.post("/oauth2/token",
                RawHttp.form("Authorization", RawHttp.basic("trusted-app", "trusted-secret")),
                "grant_type=password&username=alice&password=alice-pw&scope=read").status()).isEqualTo(200);
    }
}
