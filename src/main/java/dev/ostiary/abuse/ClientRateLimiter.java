package dev.ostiary.abuse;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Token requests per client on this instance: a token bucket per client id, refilled at the
 * configured rate. Off (always allows) when the rate is 0. Per instance on purpose: a shared counter
 * would put a database write on every token request.
 * <p>
 * Only authenticated clients get a bucket ({@link ClientRateLimitFilter} asks after client
 * authentication), so the keys are registered client ids, not whatever a caller claims. The map is
 * bounded and forgets a client idle for longer than a full refill all the same (an idle client's
 * bucket is full, so forgetting it changes nothing), so deleted clients do not accumulate either.
 */
public class ClientRateLimiter {

    /** More buckets than that means something else is wrong: the oldest are dropped, never the heap. */
    static final int MAX_CLIENTS = 10_000;

    private final double perSecond;
    private final int burst;
    private final Cache<String, Bucket> buckets;

    public ClientRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        long refillSeconds = perSecond > 0 ? (long) Math.ceil(this.burst / perSecond) : 1;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(Duration.ofSeconds(Math.max(60, refillSeconds)))
                .build();
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** Takes one request's worth from the authenticated client's bucket; false when it is empty. */
    public boolean tryAcquire(String clientId) {
        if (!enabled() || clientId == null) {
            return true;
        }
        return buckets.get(clientId, id -> new Bucket(burst)).take(perSecond, burst);
    }

    /** How many clients have a bucket now (for tests and metrics). */
    public long trackedClients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        synchronized boolean take(double perSecond, int burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
