package dev.ostiary.abuse;

import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.text.UntrustedText;

/**
 * One token bucket per client for the whole cluster, in PostgreSQL ({@code client_rate_bucket},
 * V18). A node takes up to a batch of tokens in one upsert: the bucket is brought up to date (refilled
 * at {@code rate} per second since {@code refilled_at}, up to {@code burst}), and as many whole tokens
 * as it holds, at most the batch, are handed out. The row lock orders concurrent statements from
 * every node, so the tokens handed out never exceed what the bucket held: the check and the
 * deduction are one statement. Time is the database's ({@code statement_timestamp()}), so nodes with
 * skewed clocks still share one bucket.
 */
public class SharedRateBuckets {

    /** Bucket state after {@code refilled_at}: what it held then plus what refilled since, capped at the burst. */
    private static final String AVAILABLE = "least(:burst, b.tokens"
            + " + greatest(0, extract(epoch from statement_timestamp() - b.refilled_at)) * :rate)";

    private static final String RESERVE = """
            insert into client_rate_bucket as b (client_id, tokens, refilled_at, granted)
            values (:client, :burst - least(:batch, :burst), statement_timestamp(), least(:batch, :burst))
            on conflict (client_id) do update set
                granted = case when %1$s >= 1 then least(:batch, floor(%1$s))::integer else 0 end,
                tokens = %1$s - (case when %1$s >= 1 then least(:batch, floor(%1$s)) else 0 end),
                refilled_at = statement_timestamp()
            returning granted, tokens""".formatted(AVAILABLE);

    /**
     * What one reservation got.
     *
     * @param granted tokens handed to this node, 0 when the bucket held less than one
     * @param tokensLeft what the bucket holds after it
     */
    public record Grant(int granted, double tokensLeft) {
    }

    private final JdbcClient jdbc;
    private final double rate;
    private final int burst;

    public SharedRateBuckets(JdbcClient jdbc, double rate, int burst) {
        this.jdbc = jdbc;
        this.rate = rate;
        this.burst = burst;
    }

    /** Takes up to {@code batch} tokens from the client's bucket, in one statement. */
    public Grant reserve(String clientId, int batch) {
        return jdbc.sql(RESERVE)
                .param("client", UntrustedText.storable(clientId))
                .param("burst", (double) burst)
                .param("rate", rate)
                .param("batch", batch)
                .query((rs, n) -> new Grant(rs.getInt("granted"), rs.getDouble("tokens")))
                .single();
    }

    /**
     * Deletes buckets that have refilled completely: a missing row is a full bucket, so nothing
     * changes but the table's size. Run with the abuse controls' other purges.
     */
    public int purge() {
        Duration full = fullAfter();
        return jdbc.sql("delete from client_rate_bucket where refilled_at < statement_timestamp() - make_interval(secs => ?)")
                .param((double) full.toMillis() / 1000).update();
    }

    /** How long an untouched bucket takes to refill from empty, plus a margin. */
    Duration fullAfter() {
        return Duration.ofMillis((long) Math.ceil(burst / rate * 1000)).plusSeconds(1);
    }
}
