package dev.ostiary.par;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.ostiary.replay.SeenJtis;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class PushedAuthorizationRequestRulesTest {

    private static final String OUR_URI = PushedAuthorizationRequestRules.OUR_REQUEST_URIS + "abc___1768471500000";

    private final List<Authentication> delegated = new ArrayList<>();
    private RuntimeException delegateFailure;
    private final AuthenticationProvider spring = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication authentication) {
            delegated.add(authentication);
            if (delegateFailure != null) {
                throw delegateFailure;
            }
            return authentication;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };

    /** First use in memory, the same contract as PostgreSQL's insert … on conflict do nothing. */
    private final SeenJtis seen = new SeenJtis(null, GrantFixtures.CLOCK) {
        private final Set<String> used = new HashSet<>();

        @Override
        public boolean firstUse(Kind kind, String issuer, String jti, Instant expiresAt) {
            return used.add(kind + issuer + jti);
        }

        @Override
        public void forget(Kind kind, String issuer, String jti) {
            used.remove(kind + issuer + jti);
        }
    };

    private final List<Object> events = new ArrayList<>();

    private PushedAuthorizationRequestRules rules(boolean requirePar) {
        RegisteredClient client = TestRegisteredClients.registeredClient()
                .clientSettings(ClientSettings.builder().requireProofKey(true)
                        .setting("ostiary.client.require-pushed-authorization-requests", requirePar).build())
                .build();
        return new PushedAuthorizationRequestRules(spring, new InMemoryRegisteredClientRepository(client), seen,
                GrantFixtures.CLOCK, events::add);
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationToken request(String redirectUri, String requestUri) {
        Map<String, Object> parameters = new HashMap<>();
        if (requestUri != null) {
            parameters.put("request_uri", requestUri);
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken("https://ostiary.example/oauth2/authorize",
                "client-1", UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()), redirectUri,
                "st", Set.of("read"), parameters);
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException refusal(PushedAuthorizationRequestRules rules,
            OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(
                OAuth2AuthorizationCodeRequestAuthenticationException.class, () -> rules.authenticate(request));
    }

    @Test
    void whenParRequiredAndPlainRequestThenInvalidRequestToTheRegisteredRedirectUri() {
        var refused = refusal(rules(true), request(TestRegisteredClients.REDIRECT_URI, null));

        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request");
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri())
                .isEqualTo(TestRegisteredClients.REDIRECT_URI);
        assertThat(delegated).isEmpty();
        assertThat(events).hasSize(1);
    }

    @Test
    void whenParRequiredAndUnregisteredRedirectUriThenNoRedirect() {
        var refused = refusal(rules(true), request("https://attacker.example/cb", null));

        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isNull();
        assertThat(delegated).isEmpty();
    }

    @Test
    void whenAPushedRequestNeedsAStepUpFirstThenItsRequestUriMayBeUsedOnceMoreAfterwards() {
        String uri = PushedAuthorizationRequestRules.OUR_REQUEST_URIS + "step-up";
        delegateFailure = new dev.ostiary.grant.SignInRequiredException(
                new org.springframework.security.oauth2.core.OAuth2Error("interaction_required"),
                request(TestRegisteredClients.REDIRECT_URI, uri), "/login/second-factor?required");
        PushedAuthorizationRequestRules rules = rules(false);
        org.assertj.core.api.Assertions.assertThatExceptionOfType(dev.ostiary.grant.SignInRequiredException.class)
                .isThrownBy(() -> rules.authenticate(request(TestRegisteredClients.REDIRECT_URI, uri)));

        delegateFailure = null;
        rules.authenticate(request(TestRegisteredClients.REDIRECT_URI, uri));
        assertThat(delegated).hasSize(2);
        assertThat(refusal(rules, request(TestRegisteredClients.REDIRECT_URI, uri)).getError().getErrorCode())
                .isEqualTo("invalid_request_uri");
    }

    @Test
    void whenParNotRequiredAndPlainRequestThenSpringDecides() {
        rules(false).authenticate(request(TestRegisteredClients.REDIRECT_URI, null));

        assertThat(delegated).hasSize(1);
    }

    @Test
    void whenRequestUriIsAnUrlThenInvalidRequestUriWithoutRedirectAndSpringNeverAsked() {
        var refused = refusal(rules(true), request(TestRegisteredClients.REDIRECT_URI, "https://attacker.example/ro"));

        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_uri");
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isNull();
        assertThat(delegated).isEmpty();
    }

    @Test
    void whenRequestUriUsedTwiceThenSecondUseIsInvalidRequestUri() {
        PushedAuthorizationRequestRules rules = rules(true);
        rules.authenticate(request(null, OUR_URI));

        var refused = refusal(rules, request(null, OUR_URI));

        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_uri");
        assertThat(delegated).hasSize(1);
    }

    @Test
    void whenSpringRefusesTheRequestUriThenInvalidRequestUriOnTheErrorPage() {
        delegateFailure = new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error("invalid_request", "OAuth 2.0 Parameter: request_uri", null),
                request(TestRegisteredClients.REDIRECT_URI, OUR_URI));

        var refused = refusal(rules(true), request(null, OUR_URI));

        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_uri");
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isNull();
    }

    @Test
    void whenSpringRefusesForAnotherReasonThenItsErrorStands() {
        delegateFailure = new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error("invalid_scope", "OAuth 2.0 Parameter: scope", null),
                request(TestRegisteredClients.REDIRECT_URI, OUR_URI));

        assertThatExceptionOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class)
                .isThrownBy(() -> rules(true).authenticate(request(null, OUR_URI)))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_scope"));
    }

    @Test
    void whenPlainRequestCarriesARequestObjectThenRequestNotSupportedAndSpringNeverAsked() {
        OAuth2AuthorizationCodeRequestAuthenticationToken plain = request(TestRegisteredClients.REDIRECT_URI, null);
        Map<String, Object> parameters = new HashMap<>(plain.getAdditionalParameters());
        parameters.put("request", "eyJhbGciOiJub25lIn0.e30.");
        var withObject = new OAuth2AuthorizationCodeRequestAuthenticationToken(plain.getAuthorizationUri(),
                plain.getClientId(), (Authentication) plain.getPrincipal(), plain.getRedirectUri(), plain.getState(),
                plain.getScopes(), parameters);

        var refused = refusal(rules(false), withObject);

        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_object");
        assertThat(refused.getAuthorizationCodeRequestAuthentication().getRedirectUri())
                .isEqualTo(TestRegisteredClients.REDIRECT_URI);
        assertThat(delegated).isEmpty();
    }
}
