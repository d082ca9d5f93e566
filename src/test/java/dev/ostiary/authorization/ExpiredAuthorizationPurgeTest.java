package dev.ostiary.authorization;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ScheduledTasks;

/** Expired authorizations are purged every purge interval, the first time one interval after startup. */
@Tag("unit")
class ExpiredAuthorizationPurgeTest {

    @Test
    void whenTasksAreConfiguredThenThePurgeRunsEveryIntervalAfterOneInterval() {
        ExpiredAuthorizations expired = mock(ExpiredAuthorizations.class);
        Duration interval = Duration.ofMinutes(7);

        ScheduledTasks.runOnlyFixedDelayTask(
                new AuthorizationConfiguration.ExpiredAuthorizationPurge(expired, new AuthorizationProperties(interval, Duration.ofHours(1))),
                interval, interval);

        verify(expired).purge();
    }
}
