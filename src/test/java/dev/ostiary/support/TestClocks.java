package dev.ostiary.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Clocks for unit tests: a fixed instant, and a clock the test moves by hand, so time-dependent rules
 * (nonce windows, the key schedule) are checked at exact instants instead of by sleeping.
 */
public final class TestClocks {

    /** An arbitrary instant that every unit test may start from. */
    public static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    private TestClocks() {
    }

    public static Clock fixed() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    public static Movable movable() {
        return new Movable(NOW);
    }

    /** A clock that stands still until the test moves it. */
    public static final class Movable extends Clock {

        private volatile Instant now;

        private Movable(Instant start) {
            this.now = start;
        }

        public Movable advance(Duration duration) {
            now = now.plus(duration);
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }
}
