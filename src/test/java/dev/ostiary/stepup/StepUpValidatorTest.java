package dev.ostiary.stepup;

import static dev.ostiary.stepup.StepUpFixtures.NOW;
import static dev.ostiary.stepup.StepUpFixtures.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.ostiary.grant.SignInRequiredException;
import dev.ostiary.login.Factors;
import dev.ostiary.support.TestClocks;
import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class StepUpValidatorTest {

    private final StepUpValidator validator = new StepUpValidator(
            new SecondFactorPolicy(StepUpFixtures.scopes(), new StepUpProperties(true)), TestClocks.fixed());
    private final RegisteredClient client = TestRegisteredClients.registeredClient().build();
    private final MockHttpServletRequest browser = new MockHttpServletRequest();

    @BeforeEach
    void session() {
        browser.getSession(true);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(browser));
    }

    @AfterEach
    void noRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void acceptWhenPasswordSessionAndAcrValuesLoa2ThenSentToTheSecondFactorPageWithTheDemandRemembered() {
        assertThatExceptionOfType(SignInRequiredException.class)
                .isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW), Map.of("acr_values", "urn:ostiary:loa:2")))
                .satisfies(e -> assertThat(e.page()).isEqualTo("/login/second-factor?required"));
        assertThat(browser.getSession().getAttribute(SignInDemand.ATTRIBUTE))
                .isEqualTo(new SignInDemand(SignInDemand.Kind.STEP_UP, NOW));
    }

    @Test
    void acceptWhenTheSecondFactorWasAddedThenProceedAndTheDemandIsGone() {
        browser.getSession().setAttribute(SignInDemand.ATTRIBUTE, new SignInDemand(SignInDemand.Kind.STEP_UP, NOW));

        assertThatNoException().isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW, Factors.TOTP, NOW),
                Map.of("acr_values", "urn:ostiary:loa:2")));
        assertThat(browser.getSession().getAttribute(SignInDemand.ATTRIBUTE)).isNull();
    }

    @Test
    void acceptWhenScopeNeedsSecondFactorAndTheRoundBroughtNoneThenAccessDeniedToTheClient() {
        browser.getSession().setAttribute(SignInDemand.ATTRIBUTE, new SignInDemand(SignInDemand.Kind.STEP_UP, NOW));

        assertThatExceptionOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class)
                .isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW), Set.of("admin"), Map.of()))
                .satisfies(e -> {
                    assertThat(e).isNotInstanceOf(SignInRequiredException.class);
                    assertThat(e.getError().getErrorCode()).isEqualTo("access_denied");
                    assertThat(e.getAuthorizationCodeRequestAuthentication().getRedirectUri())
                            .isEqualTo(client.getRedirectUris().iterator().next());
                });
    }

    @Test
    void acceptWhenPromptLoginThenSentToReauthenticate() {
        assertThatExceptionOfType(SignInRequiredException.class)
                .isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW), Map.of("prompt", "login")))
                .satisfies(e -> assertThat(e.page()).isEqualTo("/login?reauth"));
    }

    @Test
    void acceptWhenPromptNoneAndStepUpNeededThenInteractionRequired() {
        assertThatExceptionOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class)
                .isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW),
                        Map.of("prompt", "none", "acr_values", "urn:ostiary:loa:2")))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("interaction_required"));
    }

    @Test
    void acceptWhenPromptNoneAndMaxAgePassedThenLoginRequired() {
        assertThatExceptionOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class)
                .isThrownBy(() -> validate(signIn(Factors.PASSWORD, NOW.minusSeconds(61)),
                        Map.of("prompt", "none", "max_age", "60")))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("login_required"));
    }

    @Test
    void acceptWhenNotSignedInThenOnlyTheParametersAreChecked() {
        Authentication anonymous = new AnonymousAuthenticationToken("key", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

        assertThatNoException().isThrownBy(() -> validate(anonymous, Map.of("acr_values", "urn:ostiary:loa:2")));
        assertThatExceptionOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class)
                .isThrownBy(() -> validate(anonymous, Map.of("max_age", "-1")))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_request"));
    }

    private void validate(Authentication user, Map<String, Object> parameters) {
        validate(user, Set.of("read"), parameters);
    }

    private void validate(Authentication user, Set<String> scopes, Map<String, Object> parameters) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                "https://issuer.example/oauth2/authorize", client.getClientId(), user,
                client.getRedirectUris().iterator().next(), "state", scopes,
                new HashMap<>(parameters));
        validator.accept(OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client)
                .build());
    }
}
