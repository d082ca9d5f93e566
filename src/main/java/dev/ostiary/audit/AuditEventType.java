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
    KEY_ROTATED("key.rotated"),
    CLIENT_CREATED("client.created"),
    CLIENT_UPDATED("client.updated"),
    CLIENT_DELETED("client.deleted"),
    CLIENT_SECRET_ROTATED("client.secret_rotated"),
    USER_CREATED("user.created"),
    USER_UPDATED("user.updated"),
    USER_LOCKED("user.locked"),
    USER_UNLOCKED("user.unlocked"),
    USER_PASSWORD_RESET("user.password_reset"),
    USER_DELETED("user.deleted"),
    SCOPE_CREATED("scope.created"),
    SCOPE_UPDATED("scope.updated"),
    SCOPE_DELETED("scope.deleted"),
    INITIAL_ACCESS_TOKEN_ISSUED("registration.initial_token_issued"),
    LOGOUT_SESSION_ENDED("logout.session_ended"),
    LOGOUT_EVERYWHERE("logout.everywhere"),
    LOGOUT_BACKCHANNEL_DELIVERED("logout.backchannel_delivered"),
    LOGOUT_BACKCHANNEL_FAILED("logout.backchannel_failed"),
    LOGOUT_BACKCHANNEL_GIVEN_UP("logout.backchannel_given_up"),
    DEVICE_AUTHORIZATION_ISSUED("device.authorization_issued"),
    DEVICE_USER_CODE_VERIFIED("device.user_code_verified"),
    DEVICE_USER_CODE_DENIED("device.user_code_denied"),
    DEVICE_USER_CODE_FAILED("device.user_code_failed"),
    /** A token exchange (RFC 8693) refused: its error code and reason, the client that asked. */
    TOKEN_EXCHANGE_REFUSED("token.exchange_refused"),
    CLIENT_METADATA_FETCHED("client_metadata.fetched"),
    CLIENT_METADATA_FAILED("client_metadata.failed"),
    CLIENT_METADATA_REFUSED("client_metadata.refused"),
    AUTHORIZATION_REQUEST_REFUSED("authorization_request.refused"),
    RESOURCE_CREATED("resource.created"),
    RESOURCE_UPDATED("resource.updated"),
    RESOURCE_DELETED("resource.deleted"),
    /** A token or authorization request named a resource it may not have (RFC 8707 invalid_target). */
    TARGET_REFUSED("token.target_refused"),
    /** An authenticator app (TOTP) enrolled: its first code was accepted. */
    SECOND_FACTOR_ENROLLED("second_factor.enrolled"),
    /** The authenticator app and the recovery codes removed by their user. */
    SECOND_FACTOR_DISABLED("second_factor.disabled"),
    /** A wrong, reused or malformed TOTP or recovery code, or one refused unchecked while locked. */
    SECOND_FACTOR_FAILED("second_factor.failed"),
    SECOND_FACTOR_SUCCEEDED("second_factor.succeeded"),
    /** Too many wrong second-factor codes: the user's second factor is locked for a while. */
    SECOND_FACTOR_LOCKED("second_factor.locked"),
    RECOVERY_CODE_USED("second_factor.recovery_code_used"),
    RECOVERY_CODES_REGENERATED("second_factor.recovery_codes_regenerated");

    private final String eventName;

    AuditEventType(String eventName) {
        this.eventName = eventName;
    }

    /** The dotted name used in logs, the audit table and metrics. */
    public String eventName() {
        return eventName;
    }
}
