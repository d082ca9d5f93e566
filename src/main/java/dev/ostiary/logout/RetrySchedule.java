package dev.ostiary.logout;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed back-channel delivery is tried again. OpenID Connect Back-Channel Logout 1.0 §2.7
 * leaves the policy to the OP; ours is exponential backoff: {@code firstRetry}, then three times the
 * previous wait, never more than {@code maxDelay}, and nothing after {@code maxAttempts} attempts
 * (10s, 30s, 1m30s, 4m30s, 13m30s, 40m30s, 1h, 1h… by default).
 */
public record RetrySchedule(Duration firstRetry, Duration maxDelay, int maxAttempts) {

    private static final int FACTOR = 3;

    /**
     * @param attemptsMade attempts made so far, the one that just failed included (at least 1)
     * @return when to try next, or empty when the delivery is given up
     */
    public Optional<Instant> nextAttempt(int attemptsMade, Instant failedAt) {
        if (attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        Duration delay = firstRetry;
        for (int i = 1; i < attemptsMade && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(FACTOR);
        }
        return Optional.of(failedAt.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay));
    }
}
