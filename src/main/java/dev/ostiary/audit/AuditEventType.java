package dev.ostiary.audit;

/** The fixed vocabulary of events that audit, metrics and logs subscribe to. */
public enum AuditEventType {
    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    ACCOUNT_LOCKED("account.locked"),
    TOKEN_ISSUED("token.issued"),
    TOKEN_REVOKED("token.revoked"),
    TOKEN_REUSE_DETECTED("token.reuse_detected"),
    CONSENT_GRANTED("consent.granted"),
    CONSENT_REVOKED("consent.revoked"),
    CLIENT_AUTH_FAILED("client.auth_failed"),
    KEY_CREATED("key.created"),
    KEY_ACTIVATED("key.activated"),
    KEY_RETIRED("key.retired"),
    KEY_REVOKED("key.revoked"),
    KEY_ROTATED("key.rotated");

    private final String eventName;

    AuditEventType(String eventName) {
        this.eventName = eventName;
    }

    /** The dotted name used in logs, the audit table and metrics. */
    public String eventName() {
        return eventName;
    }
}
