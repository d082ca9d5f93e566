package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Expired authorizations are purged every purge interval, the first time one interval after startup. */
@Tag("unit")
class ExpiredAuthorizationPurgeTest {

    @Test
    void whenTasksAreConfiguredThenThePurgeRunsEveryIntervalAfterOneInterval() {
        ExpiredAuthorizations expired = mock(ExpiredAuthorizations.class);
        Duration interval = Duration.ofMinutes(7);
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new AuthorizationConfiguration.ExpiredAuthorizationPurge(expired, new AuthorizationProperties(interval))
                .configureTasks(registrar);

        List<IntervalTask> tasks = registrar.getFixedDelayTaskList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(interval);
        assertThat(tasks.get(0).getInitialDelayDuration()).isEqualTo(interval);
        tasks.get(0).getRunnable().run();
        verify(expired).purge();
    }
}
