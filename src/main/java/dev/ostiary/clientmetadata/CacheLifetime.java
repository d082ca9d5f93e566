package dev.ostiary.clientmetadata;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a fetched document is kept: its {@code Cache-Control: max-age} (RFC 9111 §5.2.2.1), within
 * the configured bounds (the draft, §4.3: the server may cache and should respect HTTP caching, with
 * its own bounds). {@code no-store} or {@code no-cache}, or no header, keep it for the least time.
 */
final class CacheLifetime {

    private final Duration min;
    private final Duration max;

    CacheLifetime(Duration min, Duration max) {
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
    }

    Duration of(String cacheControl) {
        if (cacheControl == null) {
            return min;
        }
        Duration maxAge = null;
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            if (d.equals("no-store") || d.equals("no-cache")) {
                return min;
            }
            if (d.startsWith("max-age=")) {
                try {
                    maxAge = Duration.ofSeconds(Long.parseLong(d.substring(8).replace("\"", "").trim()));
                } catch (NumberFormatException | ArithmeticException e) {
                    return min;
                }
            }
        }
        return bounded(maxAge == null ? min : maxAge);
    }

    /** Failures are kept for the least time: retried soon, but not on every request. */
    Duration ofFailure() {
        return min;
    }

    private Duration bounded(Duration wanted) {
        return wanted.compareTo(min) < 0 ? min : wanted.compareTo(max) > 0 ? max : wanted;
    }
}
