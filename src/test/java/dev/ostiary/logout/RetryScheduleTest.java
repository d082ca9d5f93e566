package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TestClocks;

/** When a failed back-channel delivery is tried again: the defaults of {@link LogoutProperties}. */
@Tag("unit")
class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1), 10);
    private final Instant now = TestClocks.fixed().instant();

    @Test
    void whenFirstAttemptFailsThenRetriedAfterTheFirstDelay() {
        assertThat(schedule.nextAttempt(1, now)).contains(now.plusSeconds(10));
    }

    @Test
    void whenAttemptsFailThenEachWaitTriplesUpToTheMaximum() {
        assertThat(schedule.nextAttempt(2, now)).contains(now.plusSeconds(30));
        assertThat(schedule.nextAttempt(3, now)).contains(now.plusSeconds(90));
        assertThat(schedule.nextAttempt(4, now)).contains(now.plusSeconds(270));
        assertThat(schedule.nextAttempt(6, now)).contains(now.plusSeconds(2430));
        assertThat(schedule.nextAttempt(7, now)).contains(now.plus(Duration.ofHours(1)));
        assertThat(schedule.nextAttempt(9, now)).contains(now.plus(Duration.ofHours(1)));
    }

    @Test
    void whenTheLastAttemptFailsThenGivenUp() {
        assertThat(schedule.nextAttempt(10, now)).isEmpty();
        assertThat(schedule.nextAttempt(11, now)).isEmpty();
    }

    @Test
    void whenPropertiesAreTheDefaultsThenTheScheduleIsTheDocumentedOne() {
        LogoutProperties defaults = new LogoutProperties(Duration.ofSeconds(2), Duration.ofMinutes(2),
                Duration.ofSeconds(10), Duration.ofHours(1), 10, Duration.ofMinutes(1), 20);
        assertThat(defaults.retrySchedule()).isEqualTo(schedule);
    }
}
