package dev.ostiary.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import dev.ostiary.support.ServerTest;

import dev.ostiary.support.ScheduledTasks;

/**
 * Audit events are kept for {@code ostiary.audit.retention} and then deleted, in batches, by a
 * scheduled purge; on the real audit table (every server test shares it, so each test counts only
 * the rows of its own user name).
 */
class AuditRetentionTest extends ServerTest {

    private static final Duration YEAR = Duration.ofDays(365);

    @Autowired
    private AuditProperties configured;

    private final Instant now = Instant.now();
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private String user;

    @BeforeEach
    void ownUser() {
        user = "retention-" + UUID.randomUUID();
    }

    @Test
    void whenEventsArePastTheRetentionThenOnlyThoseAreDeleted() {
        insert(3, now.minus(YEAR).minusSeconds(1));
        insert(2, now.minus(YEAR).plusSeconds(60));
        insert(4, now.minusSeconds(5));

        int deleted = new ExpiredAuditEvents(jdbc, YEAR, clock).purge();

        assertThat(deleted).isGreaterThanOrEqualTo(3);
        assertThat(remaining(now.minus(YEAR))).isZero();
        assertThat(remaining(now.plusSeconds(1))).isEqualTo(6);
    }

    @Test
    void whenMoreThanABatchIsExpiredThenEveryBatchIsDeletedInOnePurge() {
        insert(23, now.minus(Duration.ofDays(400)));
        insert(1, now);

        new ExpiredAuditEvents(jdbc, YEAR, clock, 5).purge();

        assertThat(remaining(now.minus(YEAR))).isZero();
        assertThat(remaining(now.plusSeconds(1))).isEqualTo(1);
    }

    @Test
    void whenNodesPurgeAtOnceThenEachExpiredEventIsDeletedOnceAndNothingElse() throws Exception {
        insert(200, now.minus(Duration.ofDays(500)));
        insert(7, now.minusSeconds(1));
        int nodes = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Callable<Integer>> purges = java.util.stream.IntStream.range(0, nodes)
                    .<Callable<Integer>>mapToObj(i -> () -> {
                        start.await();
                        return new ExpiredAuditEvents(jdbc, YEAR, clock, 10).purge();
                    }).toList();
            List<Future<Integer>> results = purges.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Integer> result : results) {
                result.get();   // none fails (no deadlock, no serialization error)
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(remaining(now.minus(YEAR))).isZero();
        assertThat(remaining(now.plusSeconds(1))).isEqualTo(7);
    }

    @Test
    void whenRetentionIsSetThenThePurgeRunsEveryIntervalAfterOneInterval() {
        insert(2, now.minus(Duration.ofDays(800)));
        Duration interval = Duration.ofMinutes(13);

        ScheduledTasks.runOnlyFixedDelayTask(
                new AuditConfiguration().auditPurge(jdbc, new AuditProperties(Duration.ofSeconds(1), YEAR, interval), clock),
                interval, interval);

        assertThat(remaining(now)).isZero();
    }

    @Test
    void whenRetentionIsZeroThenNothingIsScheduledAndEventsAreKept() {
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new AuditConfiguration().auditPurge(jdbc, new AuditProperties(Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofHours(1)), clock).configureTasks(registrar);

        assertThat(registrar.getFixedDelayTaskList()).isEmpty();
    }

    @Test
    void whenRetentionIsNegativeOrTheIntervalIsNotPositiveThenTheSettingsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new AuditProperties(Duration.ofSeconds(1), Duration.ofDays(-1), Duration.ofHours(1)))
                .withMessageContaining("ostiary.audit.retention");
        assertThatIllegalArgumentException().isThrownBy(
                () -> new AuditProperties(Duration.ofSeconds(1), YEAR, Duration.ZERO))
                .withMessageContaining("ostiary.audit.purge-interval");
    }

    @Test
    void whenNothingIsConfiguredThenEventsAreKeptForAYearAndPurgedHourly() {
        assertThat(configured.retention()).isEqualTo(YEAR);
        assertThat(configured.purgeInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(configured.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    private void insert(int count, Instant occurredAt) {
        for (int i = 0; i < count; i++) {
            jdbc.sql("insert into audit_event (occurred_at, type, username) values (?, 'login.succeeded', ?)")
                    .param(OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC)).param(user).update();
        }
    }

    /** This test's events that occurred before {@code before}. */
    private long remaining(Instant before) {
        return jdbc.sql("select count(*) from audit_event where username = ? and occurred_at < ?")
                .param(user).param(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)).query(Long.class).single();
    }
}
