package dev.ostiary.audit;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ScheduledTasks;

/** The audit trail's batches are written every flush interval, from startup. */
@Tag("unit")
class AuditFlushScheduleTest {

    @Test
    void whenTasksAreConfiguredThenTheFlushRunsEveryIntervalFromStartup() {
        AuditTrail trail = mock(AuditTrail.class);
        Duration interval = Duration.ofMillis(700);

        ScheduledTasks.runOnlyFixedDelayTask(new AuditConfiguration().auditFlush(trail,
                new AuditProperties(interval, Duration.ofDays(365), Duration.ofHours(1))), interval, Duration.ZERO);

        verify(trail).flush();
    }
}
