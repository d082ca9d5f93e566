package dev.ostiary.login;

import java.util.Set;

/**
 * One kind of second factor a user can have enrolled (the authenticator app, passkeys), asked by the
 * sign-in steps and the account page without knowing each kind: every bean of this type is asked, and
 * the union is what the user can prove after the password.
 */
public interface EnrolledFactors {

    /**
     * The factor authorities ({@link Factors}) the user can prove now as a further step, e.g.
     * {@code [FACTOR_TOTP, FACTOR_RECOVERY_CODE]} with an authenticator app enrolled; empty if none.
     */
    Set<String> enrolled(String username);
}
