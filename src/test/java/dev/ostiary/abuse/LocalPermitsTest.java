package dev.ostiary.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.abuse.LocalPermits.Outcome;

/** A node's share of a client's cluster-wide rate, answered from memory between reservations. */
@Tag("unit")
class LocalPermitsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration HOLD = Duration.ofSeconds(1);

    private final LocalPermits permits = new LocalPermits();

    @Test
    void whenNothingIsKnownThenTheSharedBucketIsAsked() {
        assertThat(permits.take(CLOCK.instant())).isEqualTo(Outcome.ASK_SHARED);
    }

    @Test
    void whenABatchWasGrantedThenTheRequestThatAskedAndTheRestOfTheBatchAreAllowedFromMemory() {
        assertThat(permits.reserved(3, NOW, HOLD, Duration.ofMillis(100))).isTrue();

        assertThat(permits.take(NOW)).isEqualTo(Outcome.ALLOWED);
        assertThat(permits.take(NOW.plusMillis(999))).isEqualTo(Outcome.ALLOWED);
        assertThat(permits.take(NOW.plusMillis(999))).isEqualTo(Outcome.ASK_SHARED);
    }

    @Test
    void whenReservedPermitsAreOlderThanTheHoldThenTheyAreDroppedAndTheSharedBucketIsAsked() {
        permits.reserved(5, NOW, HOLD, Duration.ofMillis(100));

        assertThat(permits.take(NOW.plus(HOLD))).isEqualTo(Outcome.ASK_SHARED);
        assertThat(permits.permits()).isZero();
    }

    @Test
    void whenTheSharedBucketWasEmptyThenRequestsAreRefusedFromMemoryUntilABatchHasRefilled() {
        assertThat(permits.reserved(0, NOW, HOLD, Duration.ofMillis(250))).isFalse();

        assertThat(permits.take(NOW)).isEqualTo(Outcome.REFUSED);
        assertThat(permits.take(NOW.plusMillis(249))).isEqualTo(Outcome.REFUSED);
        assertThat(permits.take(NOW.plusMillis(250))).isEqualTo(Outcome.ASK_SHARED);
    }

    @Test
    void whenAGrantFollowsAnEmptyBucketThenTheRefusalIsForgotten() {
        permits.reserved(0, NOW, HOLD, Duration.ofMillis(250));
        permits.reserved(2, NOW.plusMillis(250), HOLD, Duration.ofMillis(250));

        assertThat(permits.take(NOW.plusMillis(260))).isEqualTo(Outcome.ALLOWED);
        assertThat(permits.take(NOW.plusMillis(260))).isEqualTo(Outcome.ASK_SHARED);
    }

    @Test
    void whenBatchesAreSizedThenTheNodesHoldLessThanAQuarterOfTheBurst() {
        assertThat(ClientRateLimiter.batchFor(20, 3)).isEqualTo(1);
        assertThat(ClientRateLimiter.batchFor(100, 3)).isEqualTo(8);
        assertThat(ClientRateLimiter.batchFor(100, 0)).isEqualTo(25);
        assertThat(ClientRateLimiter.batchFor(1, 1)).isEqualTo(1);
        for (int burst = 1; burst <= 200; burst++) {
            for (int nodes = 1; nodes <= 8; nodes++) {
                int batch = ClientRateLimiter.batchFor(burst, nodes);
                assertThat(nodes * (batch - 1)).as("burst %d, %d nodes", burst, nodes)
                        .isLessThanOrEqualTo(burst / 4);
            }
        }
    }

    @Test
    void whenTheBucketIsEmptyThenTheNodeWaitsUntilABatchHasRefilled() {
        ClientRateLimiter limiter = new ClientRateLimiter(10, 100, 1, null, CLOCK);
        // batch 25 at 10/s: 0.5 tokens left, 24.5 missing, 2.45 s
        assertThat(limiter.batch()).isEqualTo(25);
        assertThat(limiter.untilBatchRefilled(new SharedRateBuckets.Grant(0, 0.5))).isEqualTo(Duration.ofMillis(2450));
    }
}
