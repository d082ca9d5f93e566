package dev.ostiary.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes audit events to the log, one line each, under the logger {@code ostiary.audit}: failures,
 * lockouts and administrative changes at INFO; the events every successful login or token produces
 * at DEBUG, as Keycloak logs its successful events. Those are the hot path (a formatted INFO line
 * cost more than a tenth of a password grant's request time), and each is in the audit table and
 * the metrics anyway. Set the logger to DEBUG to see them in the log too.
 *
 * A failed login's user name is whatever was typed, often a password in the wrong field (review I6).
 * Names of existing users are logged as they are; any other name appears at INFO only as
 * {@code unknown#} and a keyed hash (HMAC-SHA-256 under a key made at startup, never stored), which
 * tells repeated attempts with one name apart from a spray of many but cannot be reversed or
 * brute-forced from the log. The raw name is logged at DEBUG only.
 */
@Component
class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("ostiary.audit");
    private static final Set<AuditEventType> ROUTINE = EnumSet.of(AuditEventType.TOKEN_ISSUED,
            AuditEventType.LOGIN_SUCCEEDED);

    private final KnownUsers knownUsers;
    private final SecretKeySpec markerKey;

    AuditLog(KnownUsers knownUsers) {
        this.knownUsers = knownUsers;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.markerKey = new SecretKeySpec(key, "HmacSHA256");
    }

    @EventListener
    void on(AuditEvent event) {
        Level level = ROUTINE.contains(event.type()) ? Level.DEBUG : Level.INFO;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        String username = event.username();
        if (event.type() == AuditEventType.LOGIN_FAILED && username != null && !log.isDebugEnabled()
                && !knownUser(username)) {
            username = marker(username);
        }
        log.atLevel(level).log("{} client={} user={} ip={} {}", event.type().eventName(), event.clientId(), username,
                event.sourceIp(), event.details());
    }

    /** Unknown when the database cannot say (it may be down): the marker then, never the raw name. */
    private boolean knownUser(String username) {
        try {
            return knownUsers.exists(username);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String marker(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(markerKey);
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return "unknown#" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (GeneralSecurityException e) {
            return "unknown#";
        }
    }
}
