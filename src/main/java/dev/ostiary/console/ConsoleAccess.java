package dev.ostiary.console;

import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.ostiary.secondfactor.SecondFactorRequirement;
import dev.ostiary.stepup.SignInLevel;
import dev.ostiary.stepup.StepUpProperties;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * Who may use the console, decided on every request: a signed-in user who <em>now</em> (read from
 * PostgreSQL, not from the session's copy of the roles) exists, is neither disabled nor locked, has
 * role {@code ADMIN}, and whose sign-in proved a second factor ({@link SignInLevel#LOA_2}), the same
 * rule as the admin API's ({@code stepup/AdminApiSignIn}, {@code ostiary.step-up.admin-requires-second-factor}).
 * A password-only sign-in of a user with a factor enrolled goes to the second-factor page first (Rule
 * R1, {@link SecondFactorRequirement}); one without any factor is refused with a page saying how to get
 * one ({@link ConsoleDeniedHandler}).
 *
 * <p>The live read is what makes an operator whose role was taken away, or who was deleted, lose the
 * console at their next request instead of when their session ends.
 */
public final class ConsoleAccess implements AuthorizationManager<RequestAuthorizationContext> {

    /** Request attribute: why the console refused a signed-in user ({@link Refusal}). */
    static final String REFUSAL = ConsoleAccess.class.getName() + ".refusal";

    /** Why a signed-in user was refused. */
    enum Refusal {
        /** A password-only sign-in of a user with a second factor enrolled: the factor first (R1). */
        SECOND_FACTOR_PENDING,
        /** No role ADMIN, or no such active account. */
        NOT_AN_OPERATOR,
        /** An operator whose sign-in has no second factor, and who has none enrolled. */
        NEEDS_SECOND_FACTOR
    }

    static final String ROLE = "ADMIN";

    private final Accounts accounts;
    private final SecondFactorRequirement secondFactor;
    private final boolean secondFactorRequired;

    public ConsoleAccess(Accounts accounts, SecondFactorRequirement secondFactor, StepUpProperties stepUp) {
        this.accounts = accounts;
        this.secondFactor = secondFactor;
        this.secondFactorRequired = stepUp.adminRequiresSecondFactor();
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        Authentication signedIn = authentication.get();
        if (signedIn == null || !signedIn.isAuthenticated() || signedIn instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        // R1 first: a password-only sign-in with a factor enrolled is not complete, whoever it is
        if (!secondFactor.missingFactors(signedIn).isEmpty()) {
            context.getRequest().setAttribute(REFUSAL, Refusal.SECOND_FACTOR_PENDING);
            return new AuthorizationDecision(false);
        }
        Optional<Account> account = accounts.find(signedIn.getName()).filter(Account::active);
        if (account.isEmpty() || !account.get().roles().contains(ROLE)) {
            context.getRequest().setAttribute(REFUSAL, Refusal.NOT_AN_OPERATOR);
            return new AuthorizationDecision(false);
        }
        if (secondFactorRequired && SignInLevel.of(signedIn).rank() < 2) {
            context.getRequest().setAttribute(REFUSAL, Refusal.NEEDS_SECOND_FACTOR);
            return new AuthorizationDecision(false);
        }
        return new AuthorizationDecision(true);
    }
}
