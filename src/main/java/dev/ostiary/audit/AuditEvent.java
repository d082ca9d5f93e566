package dev.ostiary.audit;

import java.time.Instant;
import java.util.Map;

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
        clientId = printable(clientId);
        username = printable(username);
        Map<String, Object> clean = new java.util.HashMap<>();
        if (details != null) {
            details.forEach((k, v) -> clean.put(k, v instanceof String text ? printable(text) : v));
        }
        details = Map.copyOf(clean);
    }

    /** Values that came from requests: JSONB cannot hold NUL, and an audit row needs no megabytes. */
    private static String printable(String value) {
        if (value == null) {
            return null;
        }
        String bounded = value.length() > 200 ? value.substring(0, 200) : value;
        return bounded.replace('\u0000', '\uFFFD');
    }

    public static AuditEvent of(AuditEventType type, String clientId, String username, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), type, clientId, username, null, details);
    }
}
