package dev.ostiary.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The audit trail's batches are written every flush interval, from startup. */
@Tag("unit")
class AuditFlushScheduleTest {

    @Test
    void whenTasksAreConfiguredThenTheFlushRunsEveryIntervalFromStartup() {
        AuditTrail trail = mock(AuditTrail.class);
        Duration interval = Duration.ofMillis(700);
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new AuditConfiguration().auditFlush(trail, new AuditProperties(interval, Duration.ofDays(365), Duration.ofHours(1))).configureTasks(registrar);

        List<IntervalTask> tasks = registrar.getFixedDelayTaskList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(interval);
        assertThat(tasks.get(0).getInitialDelayDuration()).isZero();
        tasks.get(0).getRunnable().run();
        verify(trail).flush();
    }
}
