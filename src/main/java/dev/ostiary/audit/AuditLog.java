package dev.ostiary.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Writes audit events to the log, one line each, under the logger {@code ostiary.audit}. */
@Component
class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("ostiary.audit");

    @EventListener
    void on(AuditEvent event) {
        if (event.type() == AuditEventType.TOKEN_ISSUED) {
            // the hot path: at INFO it would cost more than the token itself
            log.debug("{} client={} user={} {}", event.type().eventName(), event.clientId(), event.username(),
                    event.details());
            return;
        }
        log.info("{} client={} user={} ip={} {}", event.type().eventName(), event.clientId(), event.username(),
                event.sourceIp(), event.details());
    }
}
