package dev.ostiary.grant;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The legacy grants Spring Authorization Server left out (OAuth 2.1 drops them) and Ostiary adds
 * back per client, for the cases RFC 9700 still tolerates.
 */
public final class OstiaryGrantTypes {

    /** Resource owner password credentials, RFC 6749 §4.3. */
    public static final AuthorizationGrantType PASSWORD = new AuthorizationGrantType("password");

    /** Implicit, RFC 6749 §4.2: {@code response_type=token} at the authorization endpoint. */
    public static final AuthorizationGrantType IMPLICIT = new AuthorizationGrantType("implicit");

    private OstiaryGrantTypes() {
    }
}
