package dev.ostiary.stepup;

import java.time.Duration;
import java.time.Instant;

/**
 * What the authorization endpoint does with a signed-in user's request, given what the request asks
 * ({@link SignInRequest}), what the client's and scopes' policy requires ({@link SecondFactorPolicy}),
 * the session's sign-in ({@link SignInLevel}) and the demand of the previous round ({@link SignInDemand}).
 * A pure function, decided in this order:
 * <ol>
 * <li>re-authentication, for {@code prompt=login} or an {@code auth_time} older than {@code max_age}
 * seconds (OIDC Core §3.1.2.1; {@code max_age=0} is {@code prompt=login}) — unless the user signed in
 * again since the endpoint asked for it; with {@code prompt=none}: {@code login_required};</li>
 * <li>step-up, when the session's level is below the highest level {@code acr_values} names or the
 * policy's; with {@code prompt=none}: {@code interaction_required} (OIDC Core §3.1.2.6). A round that
 * went to the second-factor page and came back without it (the user gave up, or has nothing to give):
 * {@code access_denied} when the policy needs it, and on with the weaker sign-in when only
 * {@code acr_values} asked (a voluntary claim: the {@code acr} in the token says what was done);</li>
 * <li>else proceed.</li>
 * </ol>
 */
public final class StepUpDecision {

    public enum Outcome {
        PROCEED, REAUTHENTICATE, STEP_UP, LOGIN_REQUIRED, INTERACTION_REQUIRED, ACCESS_DENIED
    }

    private StepUpDecision() {
    }

    /**
     * @param primaryFactorAt when the password or passkey of this sign-in was proven (null: never)
     * @param demand the previous round's demand, already removed from the session, or null
     */
    public static Outcome decide(SignInRequest request, int policyRank, SignInLevel level, Instant primaryFactorAt,
            SignInDemand demand, Instant now) {
        boolean reauthenticated = demand != null && demand.kind() == SignInDemand.Kind.REAUTHENTICATE
                && primaryFactorAt != null && !primaryFactorAt.isBefore(demand.at());
        if (!reauthenticated && (request.promptLogin() || tooOld(level, request.maxAge(), now))) {
            return request.promptNone() ? Outcome.LOGIN_REQUIRED : Outcome.REAUTHENTICATE;
        }
        int required = Math.max(policyRank, request.requestedRank());
        // one factor is what being signed in means: a session from before factors were recorded passes too
        if (required <= 1 || level.reaches(required)) {
            return Outcome.PROCEED;
        }
        if (request.promptNone()) {
            return Outcome.INTERACTION_REQUIRED;
        }
        boolean steppedUpInVain = demand != null && demand.kind() == SignInDemand.Kind.STEP_UP;
        if (!steppedUpInVain) {
            return Outcome.STEP_UP;
        }
        return policyRank <= 1 || level.reaches(policyRank) ? Outcome.PROCEED : Outcome.ACCESS_DENIED;
    }

    /** {@code auth_time + max_age < now} (OIDC Core §3.1.2.1); no {@code auth_time} is too old for any max_age. */
    static boolean tooOld(SignInLevel level, Long maxAge, Instant now) {
        if (maxAge == null) {
            return false;
        }
        if (level.authTime() == null) {
            return true;
        }
        // whole seconds, as auth_time is given in the token: one that says "now - max_age" still passes
        long elapsed = Duration.between(level.authTime(), now).getSeconds();
        return maxAge == 0 || elapsed > maxAge;
    }
}
