package dev.ostiary.audit;

import java.time.Instant;
import java.util.Map;

import dev.ostiary.text.UntrustedText;

/**
 * Something that happened, for the audit trail. Never carries secrets or token values.
 *
 * @param type what happened
 * @param clientId the OAuth client concerned, if any
 * @param username the resource owner concerned, if any
 * @param sourceIp the remote address of the request, if any
 * @param details extra facts (key id, scopes, reason…)
 */
public record AuditEvent(Instant occurredAt, AuditEventType type, String clientId, String username,
        String sourceIp, Map<String, Object> details) {

    public AuditEvent {
        clientId = UntrustedText.storable(clientId);
        username = UntrustedText.storable(username);
        Map<String, Object> clean = new java.util.HashMap<>();
        if (details != null) {
            details.forEach((k, v) -> clean.put(k, v instanceof String text ? UntrustedText.storable(text) : v));
        }
        details = Map.copyOf(clean);
    }

    public static AuditEvent of(AuditEventType type, String clientId, String username, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), type, clientId, username, null, details);
    }
}
