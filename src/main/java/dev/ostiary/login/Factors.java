package dev.ostiary.login;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factors a sign-in proved, as Spring Security 7's multi-factor authentication records them: one
 * {@link FactorGrantedAuthority} per factor in the session's {@link Authentication}. Spring names the
 * password and WebAuthn factors; the TOTP and recovery-code factors are ours.
 */
public final class Factors {

    /** A password checked by the login form or the password grant. */
    public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;
    /** A passkey (WebAuthn assertion with user verification). */
    public static final String WEBAUTHN = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;
    /** A time-based one-time password (RFC 6238) from an enrolled authenticator app. */
    public static final String TOTP = "FACTOR_TOTP";
    /** One of the user's single-use recovery codes, in place of the TOTP code. */
    public static final String RECOVERY_CODE = "FACTOR_RECOVERY_CODE";

    private Factors() {
    }

    /** The factor authorities of an authentication, e.g. {@code [FACTOR_PASSWORD, FACTOR_TOTP]}. */
    public static Set<String> of(Authentication authentication) {
        return authentication == null ? Set.of() : of(authentication.getAuthorities());
    }

    public static Set<String> of(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().filter(FactorGrantedAuthority.class::isInstance)
                .map(GrantedAuthority::getAuthority).collect(Collectors.toUnmodifiableSet());
    }
}
