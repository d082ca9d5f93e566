package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The key table's re-read and the rotation check run as fixed delays of their configured intervals,
 * the first one interval after startup (the keys were loaded at startup).
 */
@Tag("unit")
class KeyRotationScheduleTest {

    private static final Duration REFRESH = Duration.ofSeconds(7);
    private static final Duration ROTATION_CHECK = Duration.ofSeconds(70);

    private final SigningKeyService service = mock(SigningKeyService.class);
    private final SigningKeySet keySet = mock(SigningKeySet.class);

    @Test
    void whenTasksAreConfiguredThenTheRefreshAndTheRotationCheckRunEveryIntervalAfterOneInterval() {
        List<IntervalTask> tasks = tasksOf(properties(true));

        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(REFRESH);
        assertThat(tasks.get(0).getInitialDelayDuration()).isEqualTo(REFRESH);
        assertThat(tasks.get(1).getIntervalDuration()).isEqualTo(ROTATION_CHECK);
        assertThat(tasks.get(1).getInitialDelayDuration()).isEqualTo(ROTATION_CHECK);
        tasks.get(0).getRunnable().run();
        verify(keySet).reload();
        tasks.get(1).getRunnable().run();
        verify(service).rotateIfDue();
    }

    @Test
    void whenRotationIsDisabledThenTheRotationCheckRotatesNothing() {
        tasksOf(properties(false)).get(1).getRunnable().run();

        verify(service, never()).rotateIfDue();
    }

    @Test
    void whenThisNodeIsNotTheLeaderThenTheRotationCheckRotatesNothingButTheRefreshStillRuns() {
        List<IntervalTask> tasks = tasksOf(properties(true), false);
        tasks.get(1).getRunnable().run();
        tasks.get(0).getRunnable().run();

        verify(service, never()).rotateIfDue();
        verify(keySet).reload();
    }

    private List<IntervalTask> tasksOf(KeysProperties properties) {
        return tasksOf(properties, true);
    }

    private List<IntervalTask> tasksOf(KeysProperties properties, boolean leader) {
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
        new KeysConfiguration.KeyRotationSchedule(service, keySet, properties, () -> leader).configureTasks(registrar);
        return registrar.getFixedDelayTaskList();
    }

    private static KeysProperties properties(boolean rotationEnabled) {
        return new KeysProperties("", List.of(SigningAlgorithm.ES256), Duration.ofDays(30), Duration.ofHours(1),
                Duration.ofSeconds(60), REFRESH, ROTATION_CHECK, Duration.ofMinutes(5), rotationEnabled, "", false, 1000);
    }
}
