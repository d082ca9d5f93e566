package dev.ostiary.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Expired jtis are purged every purge interval, from startup. */
@Tag("unit")
class SeenJtiPurgeScheduleTest {

    @Test
    void whenTasksAreConfiguredThenThePurgeRunsEveryIntervalFromStartup() {
        SeenJtis seenJtis = mock(SeenJtis.class);
        Duration interval = Duration.ofMinutes(7);
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new ReplayConfiguration().seenJtiPurge(seenJtis, new ReplayProperties(Duration.ofSeconds(60), interval))
                .configureTasks(registrar);

        List<IntervalTask> tasks = registrar.getFixedDelayTaskList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(interval);
        assertThat(tasks.get(0).getInitialDelayDuration()).isZero();
        tasks.get(0).getRunnable().run();
        verify(seenJtis).purge();
    }
}
