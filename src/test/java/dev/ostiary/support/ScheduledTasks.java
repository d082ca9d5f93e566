package dev.ostiary.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** What a {@link SchedulingConfigurer} registers, for the tests of the scheduled purges and flushes. */
public final class ScheduledTasks {

    private ScheduledTasks() {
    }

    /**
     * Asserts that the configurer registers exactly one fixed-delay task with this interval and first
     * delay, and runs it once.
     */
    public static void runOnlyFixedDelayTask(SchedulingConfigurer configurer, Duration interval, Duration initialDelay) {
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
        configurer.configureTasks(registrar);
        List<IntervalTask> tasks = registrar.getFixedDelayTaskList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getIntervalDuration()).isEqualTo(interval);
        assertThat(tasks.get(0).getInitialDelayDuration()).isEqualTo(initialDelay);
        tasks.get(0).getRunnable().run();
    }
}
