package dev.ostiary.replay;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ScheduledTasks;

/** Expired jtis are purged every purge interval, from startup. */
@Tag("unit")
class SeenJtiPurgeScheduleTest {

    @Test
    void whenTasksAreConfiguredThenThePurgeRunsEveryIntervalFromStartup() {
        SeenJtis seenJtis = mock(SeenJtis.class);
        Duration interval = Duration.ofMinutes(7);

        ScheduledTasks.runOnlyFixedDelayTask(
                new ReplayConfiguration().seenJtiPurge(seenJtis, new ReplayProperties(Duration.ofSeconds(60), interval)),
                interval, Duration.ZERO);

        verify(seenJtis).purge();
    }
}
