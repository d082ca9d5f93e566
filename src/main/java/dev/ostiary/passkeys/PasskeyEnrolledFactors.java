package dev.ostiary.passkeys;

import java.util.Set;

import dev.ostiary.login.EnrolledFactors;
import dev.ostiary.login.Factors;

/** A user with at least one passkey can prove {@link Factors#WEBAUTHN} after the password. */
final class PasskeyEnrolledFactors implements EnrolledFactors {

    private final AccountPasskeys passkeys;

    PasskeyEnrolledFactors(AccountPasskeys passkeys) {
        this.passkeys = passkeys;
    }

    @Override
    public Set<String> enrolled(String username) {
        return passkeys.any(username) ? Set.of(Factors.WEBAUTHN) : Set.of();
    }
}
