package dev.ostiary.audit;

import java.util.EnumSet;
import java.util.Set;

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
 */
@Component
class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("ostiary.audit");
    private static final Set<AuditEventType> ROUTINE = EnumSet.of(AuditEventType.TOKEN_ISSUED,
            AuditEventType.LOGIN_SUCCEEDED);

    @EventListener
    void on(AuditEvent event) {
        log.atLevel(ROUTINE.contains(event.type()) ? Level.DEBUG : Level.INFO)
                .log("{} client={} user={} ip={} {}", event.type().eventName(), event.clientId(), event.username(),
                        event.sourceIp(), event.details());
    }
}
