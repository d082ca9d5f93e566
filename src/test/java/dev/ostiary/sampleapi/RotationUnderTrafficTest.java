package dev.ostiary.sampleapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;

import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.keys.SigningKeyService;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * The test that matters for a rotating JWK set: while clients keep getting tokens and calling the
 * sample API, the signing key rotates several times, and every token keeps verifying at the API
 * until it expires. Then a key is revoked: its tokens stop verifying (once the API's key cache
 * lapses), the others do not.
 */
class RotationUnderTrafficTest {

    private record Call(String token, int status) {
    }

    /** Far above what any step takes; the steps wait on what they need, not on a guess of how long it takes. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * The API's key cache lives 2 s, so its forced refetches for an unknown kid are at most one per
     * second (half the cache lifetime). A rotation promotes the next key published by the rotation
     * before it: that key is fetchable by the API only if the API may refetch after it was
     * published, so two rotations closer than this could hand the API a kid it may not fetch yet
     * (CI failed on exactly that). Scheduled rotation publishes next keys days ahead.
     */
    private static final Duration API_REFETCH_INTERVAL = Duration.ofSeconds(1);

    private static long callsSignedBy(String kid, List<Call> calls, Map<String, String> kidOfToken) {
        synchronized (calls) {
            return calls.stream().filter(call -> kid.equals(kidOfToken.get(call.token()))).count();
        }
    }

    @Test
    void tokensFromBeforeDuringAndAfterRotationsAllVerifyThenOnlyTheRevokedKeysTokensFail() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.keys.rotation-enabled=false", "--ostiary.abuse.source-ip-threshold=0");
                SampleApi api = SampleApi.start(server.baseUrl(), "--sample.jwks-cache-ttl=PT2S")) {
            List<Call> calls = Collections.synchronizedList(new ArrayList<>());
            Map<String, String> kidOfToken = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService traffic = Executors.newFixedThreadPool(3);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                boolean user = w == 2;
                workers.add(traffic.submit(() -> {
                    long until = System.currentTimeMillis() + 60_000;
                    while (running.get() && System.currentTimeMillis() < until) {
                        String token = user
                                ? TokensClient.request(server.baseUrl(), "trusted-app", "trusted-secret",
                                        new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")),
                                        Scope.parse("read")).getAccessToken().getValue()
                                : TokensClient.clientCredentials(server.baseUrl(), "svc-client", "svc-secret", "read");
                        kidOfToken.put(token, SignedJWT.parse(token).getHeader().getKeyID());
                        calls.add(new Call(token, api.call("GET", "/api/doctors/1", token).statusCode()));
                    }
                    return null;
                }));
            }
            SigningKeyService keys = server.bean(SigningKeyService.class);
            List<String> signingKids = new ArrayList<>();
            // traffic first; then each rotation once the key before it has signed tokens that reached the API
            await().atMost(WAIT).until(() -> calls.size() >= 5);
            Instant previousRotation = Instant.EPOCH;
            for (int rotation = 0; rotation < 4; rotation++) {
                Instant publishedAt = previousRotation;
                await().atMost(WAIT).until(() -> Instant.now()
                        .isAfter(publishedAt.plus(API_REFETCH_INTERVAL).plusMillis(500)));
                String kid = keys.rotateNow(SigningAlgorithm.RS256);
                previousRotation = Instant.now();
                signingKids.add(kid);
                await().atMost(WAIT).until(() -> callsSignedBy(kid, calls, kidOfToken) >= 3);
            }
            await().atMost(WAIT).until(() -> calls.size() > 20);
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
            traffic.shutdown();

            assertThat(calls).hasSizeGreaterThan(20);
            assertThat(calls).allSatisfy(call -> assertThat(call.status()).as("kid %s", kidOfToken.get(call.token()))
                    .isEqualTo(200));
            assertThat(kidOfToken.values()).containsAll(signingKids);

            // every token issued during the run, whatever key signed it, still verifies
            List<String> everyToken = new ArrayList<>(kidOfToken.keySet());
            for (String token : everyToken) {
                assertThat(api.call("GET", "/api/doctors/1", token).statusCode()).isEqualTo(200);
            }

            // revoke one key: its tokens fail once the API's two-second key cache lapses, the others pass
            String compromised = signingKids.get(1);
            assertThat(keys.revoke(compromised)).isTrue();
            String oneOfItsTokens = everyToken.stream().filter(t -> kidOfToken.get(t).equals(compromised)).findFirst()
                    .orElseThrow();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.call("GET", "/api/doctors/1", oneOfItsTokens).statusCode() == 401);
            int revokedChecked = 0;
            for (String token : everyToken) {
                int status = api.call("GET", "/api/doctors/1", token).statusCode();
                if (kidOfToken.get(token).equals(compromised)) {
                    assertThat(status).isEqualTo(401);
                    revokedChecked++;
                } else {
                    assertThat(status).isEqualTo(200);
                }
            }
            assertThat(revokedChecked).isPositive();
        }
    }
}
