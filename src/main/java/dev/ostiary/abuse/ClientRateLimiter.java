package dev.ostiary.abuse;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Token requests per client for the whole cluster: {@code rate} per second with bursts of
 * {@code burst}, however many nodes the client's requests are spread over. Off (always allows) when
 * the rate is 0.
 *
 * <p>Cheap by batches: the bucket is shared in PostgreSQL ({@link SharedRateBuckets}), but a node
 * reserves {@link #batch()} tokens at a time with one statement and serves the next requests from
 * them in memory ({@link LocalPermits}); when the bucket is empty the node remembers it until a batch
 * has refilled, so refused requests cost nothing either. Per client at the limit that is about
 * {@code rate / batch} reservations a second plus at most one refused reservation per node per
 * batch's refill time, whatever the request rate.
 *
 * <p>In any interval {@code T} the cluster admits at most one bucket's {@code burst + rate × T} plus
 * what the nodes held reserved and unspent when it began: at most {@code nodes × (batch − 1)}, and at
 * most {@code rate × HOLD} since reserved permits are spent within {@link #HOLD} (what a node holds was
 * taken from the bucket, which can only have refilled that much since). The batch is
 * {@code max(1, burst / (4 × nodes))}, so that is at most a quarter of the burst.
 *
 * <p>Only authenticated clients get local state ({@link ClientRateLimitFilter} asks after client
 * authentication), so the keys are registered client ids, not whatever a caller claims. The map is
 * bounded and forgets idle clients.
 */
public class ClientRateLimiter {

    /** More clients than that means something else is wrong: the oldest are dropped, never the heap. */
    static final int MAX_CLIENTS = 10_000;

    /** How long reserved permits may be spent: bounds the overshoot to {@code rate × HOLD} as well. */
    static final Duration HOLD = Duration.ofSeconds(1);

    private final double perSecond;
    private final int burst;
    private final int batch;
    private final SharedRateBuckets buckets;
    private final Clock clock;
    private final Cache<String, LocalPermits> local;
    private final LongAdder reservations = new LongAdder();

    /**
     * @param nodes how many nodes are expected to share the rate (sizes the batch)
     */
    public ClientRateLimiter(double perSecond, int burst, int nodes, SharedRateBuckets buckets, Clock clock) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.batch = batchFor(this.burst, nodes);
        this.buckets = buckets;
        this.clock = clock;
        this.local = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(Duration.ofSeconds(60))
                .build();
    }

    /** {@code max(1, burst / (4 × nodes))}: the unspent permits of all nodes stay under a quarter of the burst. */
    static int batchFor(int burst, int nodes) {
        return Math.max(1, burst / (4 * Math.max(1, nodes)));
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** Tokens a node reserves at a time. */
    public int batch() {
        return batch;
    }

    /** Takes one request's worth of the authenticated client's rate; false when it is spent. */
    public boolean tryAcquire(String clientId) {
        if (!enabled() || clientId == null) {
            return true;
        }
        LocalPermits permits = local.get(clientId, id -> new LocalPermits());
        permits.lock().lock();
        try {
            switch (permits.take(clock.instant())) {
                case ALLOWED:
                    return true;
                case REFUSED:
                    return false;
                default:
                    reservations.increment();
                    SharedRateBuckets.Grant grant = buckets.reserve(clientId, batch);
                    return permits.reserved(grant.granted(), clock.instant(), HOLD, untilBatchRefilled(grant));
            }
        } finally {
            permits.lock().unlock();
        }
    }

    /** How long until the bucket holds a batch again (at least a millisecond). */
    Duration untilBatchRefilled(SharedRateBuckets.Grant grant) {
        double missing = Math.min(batch, burst) - grant.tokensLeft();
        return Duration.ofMillis(Math.max(1, (long) Math.ceil(missing / perSecond * 1000)));
    }

    /** Deletes the shared buckets that refilled completely; run with the abuse controls' refresh. */
    public void purge() {
        if (enabled()) {
            buckets.purge();
        }
    }

    /** Database statements this node has run for the rate so far (for tests and metrics). */
    public long reservations() {
        return reservations.sum();
    }

    /** How many clients have local state now (for tests and metrics). */
    public long trackedClients() {
        local.cleanUp();
        return local.estimatedSize();
    }
}
