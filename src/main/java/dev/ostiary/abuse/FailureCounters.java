package dev.ostiary.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.text.UntrustedText;

/**
 * Counts failures per key in PostgreSQL so every instance sees the same counts: failed logins per
 * user name and per source address, failed client authentications. A row exists only while
 * something is failing.
 *
 * <p>What is expensive to check (a password: Argon2) is counted <em>before</em> it is checked:
 * {@link #tryAttempt} takes one of the key's {@code threshold} attempts in a single conditional
 * upsert (a check may start only while failures + checks running &lt; threshold), and nothing is
 * checked when none is left. PostgreSQL's row lock orders concurrent attempts, so however many
 * arrive at once at most {@code threshold} wrong guesses are checked per window (successes included
 * in any order: they give their place back but forget no failure). The attempt then
 * ends as {@link #attemptFailed} (it becomes a failure), {@link #attemptSucceeded} or
 * {@link #attemptReleased} (its place is given back). What is cheap to check (a client secret) is
 * counted afterwards with {@link #recordFailure}. Every decision is one statement: never a read
 * followed by a write.
 */
public class FailureCounters {

    /**
     * How long a started check may hold its place without ending: far longer than a password check
     * takes (the Argon2 line is bounded to a few seconds of work), short enough that checks lost to a
     * crash or a database outage do not lock anyone out for the rest of the window.
     */
    public static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(10);

    /** What is being counted. */
    public enum Kind {
        USER, CLIENT, SOURCE_IP,
        /** Second-factor codes (TOTP, recovery codes) per user name, apart from its passwords. */
        SECOND_FACTOR
    }

    /**
     * The state of a key after a statement.
     *
     * @param failures failures within the current window
     * @param lockedUntil when the key is locked, or null
     */
    public record Count(int failures, Instant lockedUntil) {
        public boolean locked(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    /**
     * The rules of one kind of counter.
     *
     * @param threshold failures in a window after which the key is locked
     * @param window the window they are counted in
     * @param lockFor how long the key then stays locked
     */
    public record Limit(int threshold, Duration window, Duration lockFor) {
    }

    private static final RowMapper<Count> COUNT = (rs, n) -> {
        OffsetDateTime locked = rs.getObject("locked_until", OffsetDateTime.class);
        return new Count(rs.getInt("failures"), locked == null ? null : locked.toInstant());
    };

    /** A counter starts over when its window or its lock is over. */
    private static final String STARTS_OVER = "(c.window_started_at < :windowStart or c.locked_until <= :now)";

    /** The checks still running, not counting those that stopped reporting long ago. */
    private static final String IN_FLIGHT = "(case when c.last_attempt_at < :staleBefore then 0 else c.in_flight end)";

    private static final String RECORD_FAILURE = """
            insert into failure_counter as c (kind, key, failures, in_flight, window_started_at, locked_until)
            values (:kind, :key, 1, 0, :now, case when 1 >= :threshold then cast(:lockEnd as timestamptz) end)
            on conflict (kind, key) do update set
                failures = case when %1$s then 1 else c.failures + 1 end,
                window_started_at = case when %1$s then :now else c.window_started_at end,
                locked_until = case
                    when (case when %1$s then 1 else c.failures + 1 end) >= :threshold
                    then cast(:lockEnd as timestamptz)
                    when %1$s then null else c.locked_until end
            returning failures, locked_until""".formatted(STARTS_OVER);

    private final JdbcClient jdbc;
    private final Clock clock;

    public FailureCounters(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The failures counted for a key, if any. */
    public Optional<Count> current(Kind kind, String key) {
        return jdbc.sql("select failures, locked_until from failure_counter where kind = ? and key = ?")
                .params(kind.name(), UntrustedText.storable(key))
                .query(COUNT)
                .optional();
    }

    /** When the key is locked, until when. */
    public Optional<Instant> lockedUntil(Kind kind, String key) {
        Instant now = clock.instant();
        return current(kind, key).filter(count -> count.locked(now)).map(Count::lockedUntil);
    }

    /**
     * Takes one attempt for {@code key} before the expensive check, if one is left: the key is not
     * locked and its failures in the window plus the checks still running are fewer than
     * {@code threshold}. Checks that started more than {@link #IN_FLIGHT_TIMEOUT} before the latest
     * one and never ended (a crash, the database lost mid-check) no longer hold their place.
     *
     * @return the count when the attempt may go ahead; empty when it must be refused unchecked
     */
    public Optional<Count> tryAttempt(Kind kind, String rawKey, Limit limit) {
        Instant now = clock.instant();
        return jdbc.sql("""
                insert into failure_counter as c (kind, key, failures, in_flight, window_started_at, locked_until,
                    last_attempt_at)
                values (:kind, :key, 0, 1, :now, null, :now)
                on conflict (kind, key) do update set
                    failures = case when %1$s then 0 else c.failures end,
                    in_flight = case when %1$s then 1 else %2$s + 1 end,
                    window_started_at = case when %1$s then :now else c.window_started_at end,
                    locked_until = case when %1$s then null else c.locked_until end,
                    last_attempt_at = :now
                where %1$s or (c.locked_until is null and c.failures + %2$s < :threshold)
                returning failures, locked_until""".formatted(STARTS_OVER, IN_FLIGHT))
                .param("kind", kind.name())
                .param("key", UntrustedText.storable(rawKey))
                .param("now", utc(now))
                .param("windowStart", utc(now.minus(limit.window())))
                .param("staleBefore", utc(now.minus(IN_FLIGHT_TIMEOUT)))
                .param("threshold", limit.threshold())
                .query(COUNT)
                .optional();
    }

    /**
     * Ends an attempt taken with {@link #tryAttempt} as a failure; at {@code threshold} failures in
     * the window the key is locked for {@code lockFor}.
     */
    public Count attemptFailed(Kind kind, String rawKey, Limit limit) {
        Instant now = clock.instant();
        return jdbc.sql("""
                insert into failure_counter as c (kind, key, failures, in_flight, window_started_at, locked_until)
                values (:kind, :key, 1, 0, :now, case when 1 >= :threshold then cast(:lockEnd as timestamptz) end)
                on conflict (kind, key) do update set
                    failures = c.failures + 1,
                    in_flight = greatest(c.in_flight - 1, 0),
                    locked_until = case
                        when c.locked_until > :now then c.locked_until
                        when c.failures + 1 >= :threshold then cast(:lockEnd as timestamptz)
                        else c.locked_until end
                returning failures, locked_until""")
                .param("kind", kind.name())
                .param("key", UntrustedText.storable(rawKey))
                .param("now", utc(now))
                .param("threshold", limit.threshold())
                .param("lockEnd", utc(now.plus(limit.lockFor())))
                .query(COUNT)
                .single();
    }

    /**
     * Ends an attempt as a success: its place is given back (so concurrent successful logins of one
     * account never add up), and the row goes when nothing is left to remember. A success does not
     * forget the window's failures: otherwise a correct password inside a burst of guesses would give
     * the burst a fresh set of attempts, and the bound of {@code threshold} wrong guesses per window
     * would hold only between successes. Failures leave with their window.
     */
    public void attemptSucceeded(Kind kind, String rawKey) {
        String key = UntrustedText.storable(rawKey);
        int forgotten = jdbc.sql("delete from failure_counter where kind = ? and key = ? and in_flight <= 1"
                + " and failures = 0 and (locked_until is null or locked_until <= ?)")
                .params(kind.name(), key, utc(clock.instant())).update();
        if (forgotten == 0) {
            attemptReleased(kind, rawKey);
        }
    }

    /** Ends an attempt that counts as nothing: its place is given back, the failures stay. */
    public void attemptReleased(Kind kind, String rawKey) {
        jdbc.sql("update failure_counter set in_flight = greatest(in_flight - 1, 0) where kind = ? and key = ?")
                .params(kind.name(), UntrustedText.storable(rawKey)).update();
    }

    /**
     * Counts one failure of a cheap check, after the fact; at {@code threshold} failures in the window
     * the key is locked for {@code lockFor}.
     */
    public Count recordFailure(Kind kind, String rawKey, int threshold, Duration window, Duration lockFor) {
        Instant now = clock.instant();
        return jdbc.sql(RECORD_FAILURE)
                .param("kind", kind.name())
                .param("key", UntrustedText.storable(rawKey))
                .param("now", utc(now))
                .param("threshold", threshold)
                .param("lockEnd", utc(now.plus(lockFor)))
                .param("windowStart", utc(now.minus(window)))
                .query(COUNT)
                .single();
    }

    /**
     * Counts one failure against two keys in one statement (one round trip, one connection), as
     * {@link #recordFailure} does for each; returns the count of the first.
     */
    public Count recordFailures(Kind kind, String rawKey, Limit limit, Kind otherKind, String otherRawKey,
            Limit otherLimit) {
        Instant now = clock.instant();
        String other = RECORD_FAILURE.replace(":", ":o_");
        return jdbc.sql("with other as (" + other + ") " + RECORD_FAILURE)
                .param("kind", kind.name())
                .param("key", UntrustedText.storable(rawKey))
                .param("now", utc(now))
                .param("threshold", limit.threshold())
                .param("lockEnd", utc(now.plus(limit.lockFor())))
                .param("windowStart", utc(now.minus(limit.window())))
                .param("o_kind", otherKind.name())
                .param("o_key", UntrustedText.storable(otherRawKey))
                .param("o_now", utc(now))
                .param("o_threshold", otherLimit.threshold())
                .param("o_lockEnd", utc(now.plus(otherLimit.lockFor())))
                .param("o_windowStart", utc(now.minus(otherLimit.window())))
                .query(COUNT)
                .single();
    }

    /** Forgets the failures of a key after a success. */
    public void reset(Kind kind, String key) {
        jdbc.sql("delete from failure_counter where kind = ? and key = ? and (locked_until is null or locked_until <= ?)")
                .params(kind.name(), UntrustedText.storable(key), utc(clock.instant())).update();
    }

    /** Lifts a lock at once (an administrator unlocking an account). */
    public void unlock(Kind kind, String key) {
        jdbc.sql("delete from failure_counter where kind = ? and key = ?").params(kind.name(), UntrustedText.storable(key)).update();
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
