package dev.ostiary.passkeys;

import java.time.Clock;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * What an operator does to someone's passkeys: removing all of them, when the devices are lost or the
 * account was taken over. Sessions are left alone, as when the user removes one: a passkey is a way to
 * sign in, and the signed-in sessions are the operator's separate choice (sign out everywhere).
 */
public class PasskeyAdministration {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PasskeyAdministration(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** @return how many passkeys {@code username} had; one {@code passkey.removed} event names the operator */
    public int removeAll(String username, String actor) {
        int removed = jdbc.sql("""
                delete from user_credentials c using app_user u
                where u.id = c.user_id and u.username = lower(?)""").param(username).update();
        if (removed > 0) {
            events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.PASSKEY_REMOVED, null, actor, null,
                    Map.of("target", username.toLowerCase(java.util.Locale.ROOT), "count", removed)));
        }
        return removed;
    }
}
