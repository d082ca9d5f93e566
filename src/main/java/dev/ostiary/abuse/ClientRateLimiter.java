package dev.ostiary.abuse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token requests per client on this instance: a token bucket per client id, refilled at the
 * configured rate. Off (always allows) when the rate is 0. Per instance on purpose: a shared counter
 * would put a database write on every token request.
 */
public class ClientRateLimiter {

    private final double perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** Takes one request's worth from the client's bucket; false when it is empty. */
    public boolean tryAcquire(String clientId) {
        if (!enabled() || clientId == null) {
            return true;
        }
        return buckets.computeIfAbsent(clientId, id -> new Bucket(burst)).take(perSecond, burst);
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
