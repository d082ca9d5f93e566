package dev.ostiary.stepup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

import dev.ostiary.login.Factors;

/**
 * How strongly a sign-in authenticated its user, read off the factor authorities Spring Security 7
 * puts in the {@link Authentication} ({@link Factors}): the {@code acr}, {@code amr} and
 * {@code auth_time} that ID tokens (OIDC Core §2), JWT access tokens (RFC 9068 §2.2.3) and introspection
 * answers carry.
 *
 * <p>Levels: {@value #LOA_1} one factor (a password); {@value #LOA_2} two factors of different kinds
 * (password and a TOTP or recovery code or passkey), or a passkey alone, which is possession of the
 * device plus the user verification (PIN or biometrics) it did. A sign-in without any factor authority
 * (one stored before factors were recorded) has no level at all, below {@value #LOA_1}.
 *
 * <p>{@code auth_time} is the time of the most recent factor, as Spring Authorization Server computes it
 * for ID tokens: a step-up or a re-authentication is an authentication event, and {@code max_age} is
 * measured against the same instant, so an ID token's {@code auth_time} always satisfies the
 * {@code max_age} it was issued for (OIDC Core §3.1.2.1).
 *
 * @param acr the Authentication Context Class Reference, or null for a sign-in without factors
 * @param amr RFC 8176 method values in a fixed order: pwd, otp, hwk, mfa
 * @param authTime when the most recent factor was proven, or null
 * @param rank 0 (no factor), 1 or 2: the order of the levels
 */
public record SignInLevel(String acr, List<String> amr, Instant authTime, int rank) {

    /** One factor. */
    public static final String LOA_1 = "urn:ostiary:loa:1";
    /** Two factors, or a passkey alone. */
    public static final String LOA_2 = "urn:ostiary:loa:2";
    /** The levels Ostiary knows, weakest first: discovery's {@code acr_values_supported}. */
    public static final List<String> SUPPORTED = List.of(LOA_1, LOA_2);

    public static final String ACR = "acr";
    public static final String AMR = "amr";
    public static final String AUTH_TIME = "auth_time";

    private static final SignInLevel NONE = new SignInLevel(null, List.of(), null, 0);

    public SignInLevel {
        amr = List.copyOf(amr);
    }

    /** The level of an authentication's factors; {@link #none()} for null or one without factors. */
    public static SignInLevel of(Authentication authentication) {
        if (authentication == null) {
            return NONE;
        }
        Set<String> factors = Factors.of(authentication);
        if (factors.isEmpty()) {
            return NONE;
        }
        boolean password = factors.contains(Factors.PASSWORD);
        boolean otp = factors.contains(Factors.TOTP) || factors.contains(Factors.RECOVERY_CODE);
        boolean passkey = factors.contains(Factors.WEBAUTHN);
        List<String> amr = new ArrayList<>();
        if (password) {
            amr.add("pwd");
        }
        if (otp) {
            amr.add("otp");
        }
        if (passkey) {
            amr.add("hwk");
        }
        // RFC 8176 §2 "mfa": more than one of the methods above (a passkey alone is one method)
        if (amr.size() >= 2) {
            amr.add("mfa");
        }
        // a TOTP code without the password (no flow of ours produces it) is one factor
        int rank = passkey || (password && otp) ? 2 : 1;
        return new SignInLevel(rank == 2 ? LOA_2 : LOA_1, amr, latestFactor(authentication), rank);
    }

    public static SignInLevel none() {
        return NONE;
    }

    /** The rank of an {@code acr} value of ours (1, 2), or 0 for anything else (another server's, garbage). */
    public static int rankOf(String acr) {
        return acr == null ? 0 : SUPPORTED.indexOf(acr) + 1;
    }

    /** Whether this sign-in reaches the level {@code required} (a rank, 0 asks for nothing). */
    public boolean reaches(int required) {
        return rank >= required;
    }

    /**
     * When the first factor of this sign-in (the password, or a passkey) was last proven: what a
     * re-authentication renews. Null without one.
     */
    public static Instant primaryFactorAt(Authentication authentication) {
        Instant latest = null;
        if (authentication == null) {
            return null;
        }
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor && factor.getIssuedAt() != null
                    && (Factors.PASSWORD.equals(factor.getAuthority()) || Factors.WEBAUTHN.equals(factor.getAuthority()))
                    && (latest == null || factor.getIssuedAt().isAfter(latest))) {
                latest = factor.getIssuedAt();
            }
        }
        return latest;
    }

    private static Instant latestFactor(Authentication authentication) {
        Instant latest = null;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor && factor.getIssuedAt() != null
                    && (latest == null || factor.getIssuedAt().isAfter(latest))) {
                latest = factor.getIssuedAt();
            }
        }
        return latest;
    }
}
