package dev.ostiary.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TestClocks;

/**
 * What of {@link FailureCounters} runs without PostgreSQL: whether a count is locked at an instant.
 * The window arithmetic itself (start over when the window or the lock is over, lock at the threshold,
 * in-flight checks and their timeout) is one conditional upsert per decision, on purpose: a read
 * followed by a write would race between instances. It cannot be separated from SQL without adding the
 * race back, so AbuseControlsTest and DeprovisioningTest prove it against the database.
 */
@Tag("unit")
class FailureCountersCountTest {

    @Test
    void whenLockEndsAfterNowThenLocked() {
        assertThat(new FailureCounters.Count(5, TestClocks.NOW.plusSeconds(1)).locked(TestClocks.NOW)).isTrue();
    }

    @Test
    void whenLockEndsNowOrEarlierThenNotLocked() {
        assertThat(new FailureCounters.Count(5, TestClocks.NOW).locked(TestClocks.NOW)).isFalse();
        assertThat(new FailureCounters.Count(5, TestClocks.NOW.minus(Duration.ofMinutes(1))).locked(TestClocks.NOW))
                .isFalse();
    }

    @Test
    void whenNoLockThenNotLockedWhateverTheFailures() {
        assertThat(new FailureCounters.Count(1_000, null).locked(TestClocks.NOW)).isFalse();
    }
}
