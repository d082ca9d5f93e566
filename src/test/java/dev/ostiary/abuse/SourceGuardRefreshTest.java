package dev.ostiary.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Every instance re-reads the shared locks every refresh interval, from startup. */
@Tag("unit")
class SourceGuardRefreshTest {

    @Test
    void whenTasksAreConfiguredThenTheRefreshRunsEveryIntervalFromStartup() {
        SourceGuard sources = mock(SourceGuard.class);
        Duration interval = Duration.ofSeconds(7);
        AbuseProperties properties = new AbuseProperties(30, 0, Duration.ofMinutes(5), Duration.ofMinutes(5), 0, 20,
                List.of(), List.of(), interval);
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new AbuseConfiguration().sourceGuardRefresh(sources, properties).configureTasks(registrar);

        List<IntervalTask> tasks = registrar.getFixedDelayTaskList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(interval);
        assertThat(tasks.get(0).getInitialDelayDuration()).isZero();
        tasks.get(0).getRunnable().run();
        verify(sources).refresh();
    }
}
