package dev.ostiary.passkeys;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * A user's own passkeys, for /account/passkeys. Every statement names the owner in its WHERE
 * clause: a credential id of another user renames or removes nothing, and says so the same way as a
 * credential id that does not exist.
 */
final class AccountPasskeys {

    static final int MAX_LABEL = 64;

    /** One passkey as the list shows it. */
    record Passkey(String id, String label, Instant created, Instant lastUsed) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountPasskeys(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    List<Passkey> of(String username) {
        return jdbc.sql("""
                select c.credential_id, c.label, c.created, c.last_used from user_credentials c
                join app_user u on u.id = c.user_id where u.username = lower(?) order by c.created, c.credential_id""")
                .param(username)
                .query((rs, row) -> {
                    Instant created = instant(rs.getObject(3, OffsetDateTime.class));
                    Instant lastUsed = instant(rs.getObject(4, OffsetDateTime.class));
                    // registering sets last_used too (Spring's reader requires it): not a sign-in
                    return new Passkey(rs.getString(1), rs.getString(2), created,
                            lastUsed == null || !lastUsed.isAfter(created) ? null : lastUsed);
                })
                .list();
    }

    Optional<Passkey> find(String username, String id) {
        return of(username).stream().filter(passkey -> passkey.id().equals(id)).findFirst();
    }

    boolean any(String username) {
        return jdbc.sql("""
                select exists (select 1 from user_credentials c join app_user u on u.id = c.user_id
                where u.username = lower(?))""").param(username).query(Boolean.class).single();
    }

    boolean enrolmentRequired(String username) {
        return jdbc.sql("""
                select exists (select 1 from passkey_enrolment_required r join app_user u on u.id = r.user_id
                where u.username = lower(?))""").param(username).query(Boolean.class).single();
    }

    boolean rename(String username, String id, String label) {
        int updated = jdbc.sql("""
                update user_credentials c set label = :label from app_user u
                where u.id = c.user_id and u.username = lower(:username) and c.credential_id = :id""")
                .param("label", label).param("username", username).param("id", id).update();
        if (updated == 1) {
            audit(AuditEventType.PASSKEY_RENAMED, username, Map.of("label", label));
        }
        return updated == 1;
    }

    /** @return the removed passkey's label; empty if the user has no passkey with that id */
    Optional<String> remove(String username, String id) {
        Optional<String> label = jdbc.sql("""
                delete from user_credentials c using app_user u
                where u.id = c.user_id and u.username = lower(?) and c.credential_id = ? returning c.label""")
                .params(username, id).query(String.class).optional();
        label.ifPresent(removed -> audit(AuditEventType.PASSKEY_REMOVED, username, Map.of("label", removed)));
        return label;
    }

    private void audit(AuditEventType type, String username, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, null, details));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
