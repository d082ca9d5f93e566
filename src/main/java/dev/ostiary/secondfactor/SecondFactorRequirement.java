package dev.ostiary.secondfactor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.authorization.RequiredFactorError;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.ostiary.login.EnrolledFactors;
import dev.ostiary.login.Factors;

/**
 * Rule R1 of the sign-in contract: a sign-in that proved only the password, for a user with any
 * second factor enrolled, is not complete. Used as the additional authorization of Spring Security's
 * {@code AuthorizationManagerFactory} (so every {@code authenticated()} of every chain asks it, and
 * {@code permitAll()} does not), it denies with a {@link FactorAuthorizationDecision} naming the
 * missing factors; Spring's {@code DelegatingMissingAuthorityAccessDeniedHandler} saves the request
 * and sends the browser to {@code /login/second-factor} ({@link SecondFactorStep}).
 *
 * <p>Only sessions carry {@code FACTOR_PASSWORD}: a bearer token's authentication (the admin API,
 * userinfo), a client authenticating at the token endpoint and a management caller have none, so
 * the rule passes them. A passkey sign-in alone ({@code FACTOR_WEBAUTHN}) is complete.
 */
public final class SecondFactorRequirement implements AuthorizationManager<RequestAuthorizationContext> {

    /** The factors that complete a password sign-in, in the order the second-factor page offers them. */
    static final List<String> SECOND_FACTORS = List.of(Factors.TOTP, Factors.RECOVERY_CODE, Factors.WEBAUTHN);

    private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);

    private final List<EnrolledFactors> enrolledFactors;

    public SecondFactorRequirement(List<EnrolledFactors> enrolledFactors) {
        this.enrolledFactors = List.copyOf(enrolledFactors);
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        List<String> missing = missingFactors(authentication.get());
        if (missing.isEmpty()) {
            return GRANTED;
        }
        List<RequiredFactorError> errors = new ArrayList<>();
        for (String factor : missing) {
            errors.add(RequiredFactorError.createMissing(RequiredFactor.withAuthority(factor).build()));
        }
        return new FactorAuthorizationDecision(errors);
    }

    /**
     * The second factors the user could prove to complete this sign-in, or empty when it is
     * complete (or not a password sign-in, or the user has none enrolled).
     */
    public List<String> missingFactors(Authentication authentication) {
        if (!needsCheck(authentication)) {
            return List.of();
        }
        Set<String> enrolled = enrolled(authentication.getName());
        return SECOND_FACTORS.stream().filter(enrolled::contains).toList();
    }

    /** The union of what every kind of second factor says the user has. */
    public Set<String> enrolled(String username) {
        Set<String> union = new HashSet<>();
        for (EnrolledFactors factors : enrolledFactors) {
            union.addAll(factors.enrolled(username));
        }
        return union;
    }

    /** A password sign-in without any second factor yet: the only kind R1 applies to. */
    static boolean passwordOnly(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return false;
        }
        Set<String> factors = Factors.of(authentication);
        return factors.contains(Factors.PASSWORD) && SECOND_FACTORS.stream().noneMatch(factors::contains);
    }

    private static boolean needsCheck(Authentication authentication) {
        return passwordOnly(authentication);
    }
}
