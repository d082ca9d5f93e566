package dev.ostiary.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.crypto.Digests;

/**
 * How many mails each key may cause per window, for the whole cluster (V21 {@code mail_budget}):
 * one upsert counts the mail and returns the count, so concurrent requests on any node cannot all
 * pass a check made before any of them was counted (the pattern of abuse/FailureCounters). Keys
 * are stored as digests: the table holds no address.
 */
public class MailBudget {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration window;

    public MailBudget(JdbcClient jdbc, Clock clock, Duration window) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.window = window;
    }

    /** Counts one mail for {@code key}; whether it is within {@code limit} for the window. */
    public boolean take(String key, int limit) {
        if (limit <= 0) {
            return true;
        }
        Instant now = clock.instant();
        int sent = jdbc.sql("""
                insert into mail_budget as b (key_digest, sent, window_started_at) values (:key, 1, :now)
                on conflict (key_digest) do update set
                    sent = case when b.window_started_at < :windowStart then 1 else b.sent + 1 end,
                    window_started_at = case when b.window_started_at < :windowStart then :now
                        else b.window_started_at end
                returning sent""")
                .param("key", Digests.sha256(key))
                .param("now", utc(now))
                .param("windowStart", utc(now.minus(window)))
                .query(Integer.class).single();
        return sent <= limit;
    }

    /** Forgets windows that are over. */
    public int purge() {
        return jdbc.sql("delete from mail_budget where window_started_at < ?")
                .param(utc(clock.instant().minus(window))).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
