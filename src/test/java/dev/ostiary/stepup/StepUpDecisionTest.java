package dev.ostiary.stepup;

import static dev.ostiary.stepup.StepUpFixtures.NOW;
import static dev.ostiary.stepup.StepUpFixtures.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.login.Factors;
import dev.ostiary.stepup.StepUpDecision.Outcome;

@Tag("unit")
class StepUpDecisionTest {

    private static final SignInLevel PASSWORD = SignInLevel.of(signIn(Factors.PASSWORD, NOW.minusSeconds(100)));
    private static final SignInLevel TWO_FACTORS = SignInLevel.of(
            signIn(Factors.PASSWORD, NOW.minusSeconds(100), Factors.TOTP, NOW.minusSeconds(90)));

    @Test
    void decideWhenNothingAskedThenProceed() {
        assertThat(decide(Map.of(), 1, PASSWORD, null)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenAcrValuesAskLoa2OfAPasswordSessionThenStepUp() {
        assertThat(decide(Map.of("acr_values", "urn:ostiary:loa:2"), 1, PASSWORD, null)).isEqualTo(Outcome.STEP_UP);
    }

    @Test
    void decideWhenAcrValuesAskLoa2OfATwoFactorSessionThenProceed() {
        assertThat(decide(Map.of("acr_values", "urn:ostiary:loa:2"), 1, TWO_FACTORS, null)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenPolicyNeedsLoa2ThenStepUpWithoutAnyAcrValues() {
        assertThat(decide(Map.of(), 2, PASSWORD, null)).isEqualTo(Outcome.STEP_UP);
    }

    @Test
    void decideWhenAcrValuesAskLoa1OnlyButPolicyNeedsLoa2ThenStepUp() {
        // a client cannot ask its way below its own or its scopes' policy
        assertThat(decide(Map.of("acr_values", "urn:ostiary:loa:1"), 2, PASSWORD, null)).isEqualTo(Outcome.STEP_UP);
    }

    @Test
    void decideWhenStepUpRoundCameBackWithoutSecondFactorAndOnlyAcrValuesAskedThenProceedWeaker() {
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.STEP_UP, NOW.minusSeconds(5));

        assertThat(decide(Map.of("acr_values", "urn:ostiary:loa:2"), 1, PASSWORD, demand)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenStepUpRoundCameBackWithoutSecondFactorAndPolicyNeedsItThenAccessDeniedNotAnotherRedirect() {
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.STEP_UP, NOW.minusSeconds(5));

        assertThat(decide(Map.of(), 2, PASSWORD, demand)).isEqualTo(Outcome.ACCESS_DENIED);
    }

    @Test
    void decideWhenPromptNoneAndLevelTooLowThenInteractionRequired() {
        assertThat(decide(Map.of("prompt", "none", "acr_values", "urn:ostiary:loa:2"), 1, PASSWORD, null))
                .isEqualTo(Outcome.INTERACTION_REQUIRED);
        assertThat(decide(Map.of("prompt", "none"), 2, PASSWORD, null)).isEqualTo(Outcome.INTERACTION_REQUIRED);
    }

    @Test
    void decideWhenPromptLoginThenReauthenticate() {
        assertThat(decide(Map.of("prompt", "login"), 1, TWO_FACTORS, null)).isEqualTo(Outcome.REAUTHENTICATE);
    }

    @Test
    void decideWhenPromptLoginAndSignedInAgainSinceTheDemandThenProceed() {
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.REAUTHENTICATE, NOW.minusSeconds(100));

        assertThat(decide(Map.of("prompt", "login"), 1, PASSWORD, demand)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenPromptLoginAndTheSignInIsOlderThanTheDemandThenReauthenticateAgain() {
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.REAUTHENTICATE, NOW.minusSeconds(99));

        assertThat(decide(Map.of("prompt", "login"), 1, PASSWORD, demand)).isEqualTo(Outcome.REAUTHENTICATE);
    }

    @Test
    void decideWhenMaxAgeExactlyTheAgeThenProceed() {
        assertThat(decide(Map.of("max_age", "100"), 1, PASSWORD, null)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenMaxAgeOneSecondShorterThanTheAgeThenReauthenticate() {
        assertThat(decide(Map.of("max_age", "99"), 1, PASSWORD, null)).isEqualTo(Outcome.REAUTHENTICATE);
    }

    @Test
    void decideWhenMaxAgeZeroThenReauthenticateUntilSignedInAgain() {
        assertThat(decide(Map.of("max_age", "0"), 1, PASSWORD, null)).isEqualTo(Outcome.REAUTHENTICATE);
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.REAUTHENTICATE, NOW.minusSeconds(100));
        assertThat(decide(Map.of("max_age", "0"), 1, PASSWORD, demand)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void decideWhenMaxAgeAndNoAuthTimeThenReauthenticate() {
        assertThat(decide(Map.of("max_age", "86400"), 1, SignInLevel.none(), null)).isEqualTo(Outcome.REAUTHENTICATE);
    }

    @Test
    void decideWhenPromptNoneAndReauthenticationNeededThenLoginRequired() {
        assertThat(decide(Map.of("prompt", "none", "max_age", "10"), 1, TWO_FACTORS, null))
                .isEqualTo(Outcome.LOGIN_REQUIRED);
    }

    @Test
    void decideWhenReauthenticationAndStepUpBothNeededThenReauthenticateFirst() {
        assertThat(decide(Map.of("max_age", "10", "acr_values", "urn:ostiary:loa:2"), 1, PASSWORD, null))
                .isEqualTo(Outcome.REAUTHENTICATE);
    }

    @Test
    void decideWhenReauthenticatedButStillOneFactorAndLoa2AskedThenStepUp() {
        SignInDemand demand = new SignInDemand(SignInDemand.Kind.REAUTHENTICATE, NOW.minusSeconds(100));

        assertThat(decide(Map.of("max_age", "10", "acr_values", "urn:ostiary:loa:2"), 1, PASSWORD, demand))
                .isEqualTo(Outcome.STEP_UP);
    }

    @Test
    void decideWhenSessionWithoutFactorAuthoritiesAndNothingAboveOneFactorAskedThenProceed() {
        assertThat(decide(Map.of("acr_values", "urn:ostiary:loa:1"), 1, SignInLevel.none(), null))
                .isEqualTo(Outcome.PROCEED);
        assertThat(decide(Map.of(), 2, SignInLevel.none(), null)).isEqualTo(Outcome.STEP_UP);
    }

    private static Outcome decide(Map<String, Object> parameters, int policyRank, SignInLevel level, SignInDemand demand) {
        Instant primary = level.authTime() == null ? null : NOW.minusSeconds(100);
        return StepUpDecision.decide(SignInRequest.of(parameters), policyRank, level, primary, demand, NOW);
    }
}
