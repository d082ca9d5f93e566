package dev.ostiary.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counts failures per key in PostgreSQL so every instance sees the same counts: failed logins per
 * user name, and whatever else needs a threshold. A row exists only while something is failing:
 * the success path reads one index entry and writes nothing unless a row exists.
 */
public class FailureCounters {

    /** What is being counted. */
    public enum Kind {
        USER, CLIENT, SOURCE_IP
    }

    /**
     * Result of one recorded failure.
     *
     * @param failures failures within the current window, this one included
     * @param lockedUntil when the key is locked, or null
     */
    public record Count(int failures, Instant lockedUntil) {
        public boolean locked(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    private static final RowMapper<Count> COUNT = (rs, n) -> {
        OffsetDateTime locked = rs.getObject("locked_until", OffsetDateTime.class);
        return new Count(rs.getInt("failures"), locked == null ? null : locked.toInstant());
    };

    private final JdbcClient jdbc;
    private final Clock clock;

    public FailureCounters(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * The failures counted for a key, if any: one indexed read that answers both "is it locked?" and
     * "is there anything to forget after a success?", so a successful login writes nothing.
     */
    public Optional<Count> current(Kind kind, String key) {
        return jdbc.sql("select failures, locked_until from failure_counter where kind = ? and key = ?")
                .params(kind.name(), key)
                .query(COUNT)
                .optional();
    }

    /** When the key is locked, until when. */
    public Optional<Instant> lockedUntil(Kind kind, String key) {
        Instant now = clock.instant();
        return current(kind, key).filter(count -> count.locked(now)).map(Count::lockedUntil);
    }

    /**
     * Counts one failure in a window of {@code window}; at {@code threshold} failures the key is
     * locked for {@code lockFor} and the count starts over.
     */
    public Count recordFailure(Kind kind, String rawKey, int threshold, Duration window, Duration lockFor) {
        String key = printable(rawKey);
        OffsetDateTime now = utc(clock.instant());
        OffsetDateTime windowStart = utc(clock.instant().minus(window));
        OffsetDateTime lockEnd = utc(clock.instant().plus(lockFor));
        return jdbc.sql("""
                insert into failure_counter as c (kind, key, failures, window_started_at, locked_until)
                values (:kind, :key, 1, :now, case when 1 >= :threshold then cast(:lockEnd as timestamptz) end)
                on conflict (kind, key) do update set
                    failures = case when c.window_started_at < :windowStart then 1 else c.failures + 1 end,
                    window_started_at = case when c.window_started_at < :windowStart then :now else c.window_started_at end,
                    locked_until = case
                        when (case when c.window_started_at < :windowStart then 1 else c.failures + 1 end) >= :threshold
                        then cast(:lockEnd as timestamptz) else c.locked_until end
                returning failures, locked_until""")
                .param("kind", kind.name())
                .param("key", key)
                .param("now", now)
                .param("threshold", threshold)
                .param("lockEnd", lockEnd)
                .param("windowStart", windowStart)
                .query(COUNT)
                .single();
    }

    /** Keys come from requests: PostgreSQL text cannot hold NUL, and nobody needs megabytes of them. */
    private static String printable(String key) {
        String bounded = key.length() > 200 ? key.substring(0, 200) : key;
        return bounded.replace('\u0000', '\uFFFD');
    }

    /** Forgets the failures of a key after a success. */
    public void reset(Kind kind, String key) {
        jdbc.sql("delete from failure_counter where kind = ? and key = ? and (locked_until is null or locked_until <= ?)")
                .params(kind.name(), key, utc(clock.instant())).update();
    }

    /** Lifts a lock at once (an administrator unlocking an account). */
    public void unlock(Kind kind, String key) {
        jdbc.sql("delete from failure_counter where kind = ? and key = ?").params(kind.name(), key).update();
    }

    /** Deletes counters whose window and lock are over. */
    public int purge(Duration longestWindow) {
        OffsetDateTime now = utc(clock.instant());
        return jdbc.sql("delete from failure_counter where window_started_at < ? and (locked_until is null"
                + " or locked_until < ?)").params(utc(clock.instant().minus(longestWindow)), now).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
