package dev.ostiary.logout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.text.UntrustedText;

/**
 * The logout tokens still to deliver, in PostgreSQL (table {@code backchannel_logout}, V13), so a
 * restart loses none. Each instance claims due rows in one statement ({@code for update skip locked}
 * with a lease): two instances never hold the same row, and a row whose instance died is claimed
 * again when its lease ends.
 */
public class BackchannelLogoutOutbox {

    /** A delivery to make: the client's current URI is read when it is claimed. */
    public record Pending(long id, String clientId, String uri, boolean sessionRequired, String issuer,
            String subject, String sid, String jti, int attempts) {
    }

    /** One client to tell that {@code subject} (its session {@code sid}, if known) signed out. */
    public record Target(UUID registeredClientId, String issuer, String subject, String sid) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public BackchannelLogoutOutbox(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Queues one delivery per target whose client has a back-channel logout URI; returns how many.
     * A target already pending (the same session signed out twice, or concurrently) is not queued
     * again: the unique index of V16 decides it, so concurrent sign-outs cannot multiply deliveries.
     */
    public int enqueue(List<Target> targets) {
        int queued = 0;
        for (Target target : targets) {
            queued += jdbc.sql("""
                    insert into backchannel_logout (registered_client_id, issuer, subject, sid, jti, next_attempt_at)
                    select c.id, ?, ?, ?, ?, ? from client c where c.id = ? and c.backchannel_logout_uri is not null
                    on conflict (registered_client_id, issuer, subject, (coalesce(sid, ''))) do nothing""")
                    .params(target.issuer(), target.subject(), target.sid(), UUID.randomUUID().toString(),
                            Timestamp.from(clock.instant()), target.registeredClientId())
                    .update();
        }
        return queued;
    }

    /** Claims up to {@code limit} due deliveries for {@code lease}; rows of a client without a URI go. */
    public List<Pending> claimDue(int limit, java.time.Duration lease) {
        Instant now = clock.instant();
        jdbc.sql("""
                delete from backchannel_logout b using client c
                 where b.registered_client_id = c.id and c.backchannel_logout_uri is null""").update();
        return jdbc.sql("""
                update backchannel_logout b set claimed_until = ?, attempts = b.attempts + 1
                  from client c
                 where c.id = b.registered_client_id and b.id in (
                       select id from backchannel_logout
                        where next_attempt_at <= ? and (claimed_until is null or claimed_until <= ?)
                        order by next_attempt_at limit ? for update skip locked)
                returning b.id, c.client_id, c.backchannel_logout_uri, c.backchannel_logout_session_required,
                          b.issuer, b.subject, b.sid, b.jti, b.attempts""")
                .params(Timestamp.from(now.plus(lease)), Timestamp.from(now), Timestamp.from(now), limit)
                .query((rs, n) -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)))
                .list();
    }

    public void delivered(Pending pending) {
        jdbc.sql("delete from backchannel_logout where id = ?").param(pending.id()).update();
    }

    /** Schedules the next attempt; returns false when the delivery was given up (and removed). */
    public boolean failed(Pending pending, String error, RetrySchedule schedule) {
        Instant now = clock.instant();
        var next = schedule.nextAttempt(pending.attempts(), now);
        if (next.isEmpty()) {
            delivered(pending);
            return false;
        }
        jdbc.sql("update backchannel_logout set next_attempt_at = ?, claimed_until = null, last_error = ? where id = ?")
                .params(Timestamp.from(next.get()), UntrustedText.storable(error), pending.id()).update();
        return true;
    }
}
