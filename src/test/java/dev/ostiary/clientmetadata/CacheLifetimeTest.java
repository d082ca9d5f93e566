package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CacheLifetimeTest {

    private final CacheLifetime lifetime = new CacheLifetime(Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void whenMaxAgeWithinBoundsThenHonoured() {
        assertThat(lifetime.of("public, max-age=600")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void whenMaxAgeAboveMaximumThenMaximum() {
        assertThat(lifetime.of("max-age=31536000")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void whenMaxAgeBelowMinimumOrZeroThenMinimum() {
        assertThat(lifetime.of("max-age=5")).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifetime.of("max-age=0")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void whenNoStoreNoCacheMissingOrGarbageThenMinimum() {
        assertThat(lifetime.of("no-store")).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifetime.of("max-age=600, no-cache")).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifetime.of(null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifetime.of("max-age=soon")).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifetime.of("max-age=99999999999999999999")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void whenFailureThenMinimum() {
        assertThat(lifetime.ofFailure()).isEqualTo(Duration.ofMinutes(1));
    }
}
