package dev.ostiary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import dev.ostiary.support.ServerTest;

/**
 * The features' periodic jobs reach the running scheduler, registered in code from their typed
 * properties (review F5), with the defaults' fixed delays and, where the job has one, its initial delay.
 */
class ScheduledTasksWiringTest extends ServerTest {

    private record Schedule(Duration interval, Duration initialDelay) {
    }

    @Autowired
    List<ScheduledTaskHolder> holders;

    @Test
    void whenTheServerRunsThenEachFeaturesJobIsScheduledAtItsDefaultInterval() {
        List<Schedule> scheduled = holders.stream().flatMap(holder -> holder.getScheduledTasks().stream())
                .map(task -> task.getTask()).filter(IntervalTask.class::isInstance).map(IntervalTask.class::cast)
                .map(task -> new Schedule(task.getIntervalDuration(), task.getInitialDelayDuration())).toList();

        assertThat(scheduled).contains(
                // abuse: the shared locks; audit: the batches; replay: the jti purge (all from startup)
                new Schedule(Duration.ofSeconds(5), Duration.ZERO),
                new Schedule(Duration.ofSeconds(1), Duration.ZERO),
                new Schedule(Duration.ofMinutes(5), Duration.ZERO),
                // abuse: full shared rate buckets forgotten (from startup)
                new Schedule(Duration.ofMinutes(1), Duration.ZERO),
                // authorization purge, key table re-read, rotation check: first run one interval in
                new Schedule(Duration.ofMinutes(10), Duration.ofMinutes(10)),
                new Schedule(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                new Schedule(Duration.ofMinutes(1), Duration.ofMinutes(1)));
    }
}
