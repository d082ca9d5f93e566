package dev.ostiary.keys;

import java.time.Duration;

/**
 * How long a token signed now may still be presented: a retired signing key stays published that
 * long (plus the clock skew), so every token it signed still verifies. The clients know their token
 * lifetimes, so the client feature implements this; the keys feature only asks.
 */
@FunctionalInterface
public interface LongestTokenLifetime {

    Duration longestTokenLifetime();
}
