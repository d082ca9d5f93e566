package dev.ostiary.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times on console pages ({@code ${@consoleTime.format(t)}}): UTC to the minute, the zone written out.
 * Operators of one server sit in many zones and compare with logs, which are in UTC.
 */
public final class ConsoleTime {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String format(Instant instant) {
        return instant == null ? "" : MINUTES.format(instant);
    }
}
