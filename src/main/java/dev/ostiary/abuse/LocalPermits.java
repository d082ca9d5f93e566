package dev.ostiary.abuse;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's share of the cluster-wide rate on this node: the permits this node reserved from the
 * shared bucket ({@link SharedRateBuckets}) and has not spent yet, or the knowledge that the bucket
 * was empty. Everything here is answered from memory; only {@link Outcome#ASK_SHARED} leads to a
 * database statement, and the caller holds {@link #lock()} around it so that one reservation per
 * client and node is under way at a time.
 *
 * <p>Reserved permits are spent only within {@code hold} of their reservation: the cluster then
 * admits at most {@code burst + rate × T} requests in any interval {@code T}, plus what was reserved
 * but unspent when the interval began — at most {@code min(rate × hold, nodes × (batch − 1))}
 * (docs/architecture.md, "Cluster").
 */
final class LocalPermits {

    /** What the local state says about one more request. */
    enum Outcome {
        /** A reserved permit was spent. */
        ALLOWED,
        /** The shared bucket was empty, and has not refilled a batch since. */
        REFUSED,
        /** Nothing is known locally: reserve from the shared bucket. */
        ASK_SHARED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private int permits;
    private Instant permitsUntil = Instant.MIN;
    private Instant exhaustedUntil = Instant.MIN;

    ReentrantLock lock() {
        return lock;
    }

    Outcome take(Instant now) {
        if (permits > 0 && now.isBefore(permitsUntil)) {
            permits--;
            return Outcome.ALLOWED;
        }
        permits = 0;
        return now.isBefore(exhaustedUntil) ? Outcome.REFUSED : Outcome.ASK_SHARED;
    }

    /**
     * What the shared bucket answered, for the request that asked: with tokens granted, one is that
     * request's and the rest are kept for {@code hold}; with none, this node refuses the client from
     * memory for {@code exhaustedFor} (until a batch has refilled).
     *
     * @return whether the request that asked is allowed
     */
    boolean reserved(int granted, Instant now, Duration hold, Duration exhaustedFor) {
        if (granted <= 0) {
            permits = 0;
            exhaustedUntil = now.plus(exhaustedFor);
            return false;
        }
        permits = granted - 1;
        permitsUntil = now.plus(hold);
        exhaustedUntil = Instant.MIN;
        return true;
    }

    /** Unspent permits (for tests). */
    int permits() {
        return permits;
    }
}
