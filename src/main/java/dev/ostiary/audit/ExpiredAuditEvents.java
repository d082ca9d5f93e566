package dev.ostiary.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes audit events older than {@link AuditProperties#retention()}.
 *
 * <p>In batches of {@link #BATCH} rows, each its own statement and transaction: a first purge after
 * an upgrade may find millions of rows, and one statement over all of them would hold its locks and
 * its WAL for as long as it runs, and hold the flush of new events behind it. Several nodes may run
 * the purge at the same moment; a row deleted by one is skipped by the other, so the outcome is the
 * same.
 */
public class ExpiredAuditEvents {

    static final int BATCH = 10_000;

    private final JdbcClient jdbc;
    private final Duration retention;
    private final Clock clock;
    private final int batch;

    public ExpiredAuditEvents(JdbcClient jdbc, Duration retention, Clock clock) {
        this(jdbc, retention, clock, BATCH);
    }

    ExpiredAuditEvents(JdbcClient jdbc, Duration retention, Clock clock, int batch) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.jdbc = jdbc;
        this.retention = retention;
        this.clock = clock;
        this.batch = batch;
    }

    /** @return how many events were deleted */
    public int purge() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        int total = 0;
        int deleted;
        do {
            // the oldest first, through audit_event_occurred_at; "skip locked" so two nodes purging at
            // once split the work instead of waiting for each other's batch
            deleted = jdbc.sql("""
                    delete from audit_event where id in (
                        select id from audit_event where occurred_at < ?
                        order by occurred_at limit ? for update skip locked)""")
                    .param(cutoff).param(batch).update();
            total += deleted;
        } while (deleted == batch);
        return total;
    }

    Duration retention() {
        return retention;
    }
}
