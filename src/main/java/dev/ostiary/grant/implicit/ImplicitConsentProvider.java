package dev.ostiary.grant.implicit;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * The consent page's answer, routed: the same form posts back to the authorization endpoint for
 * both flows, so this looks at the in-flight authorization and hands code-flow consents to Spring's
 * provider (it stands in that provider's place, so an implicit denial is the final word). Approved scopes are remembered like
 * Spring does; a denial goes back to the client as {@code access_denied} in the fragment.
 */
public final class ImplicitConsentProvider implements AuthenticationProvider {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2AuthorizationConsentService consents;
    private final ImplicitTokenIssuer tokens;
    private final ApplicationEventPublisher events;
    private final AuthenticationProvider codeFlowConsents;

    public ImplicitConsentProvider(AuthenticationProvider codeFlowConsents, RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
            OAuth2AuthorizationConsentService consents, OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator,
            ApplicationEventPublisher events) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.consents = consents;
        this.tokens = new ImplicitTokenIssuer(tokenGenerator);
        this.events = events;
        this.codeFlowConsents = codeFlowConsents;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2AuthorizationConsentAuthenticationToken.class.equals(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2AuthorizationConsentAuthenticationToken answer = (OAuth2AuthorizationConsentAuthenticationToken) authentication;
        OAuth2Authorization inFlight = authorizations.findByToken(answer.getState(), STATE);
        if (inFlight == null || !OstiaryGrantTypes.IMPLICIT.equals(inFlight.getAuthorizationGrantType())) {
            return codeFlowConsents.authenticate(authentication);
        }
        Authentication user = (Authentication) answer.getPrincipal();
        RegisteredClient client = clients.findByClientId(answer.getClientId());
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (user == null || !user.isAuthenticated() || !user.getName().equals(inFlight.getPrincipalName())
                || client == null || !client.getId().equals(inFlight.getRegisteredClientId()) || request == null) {
            throw ImplicitAuthorizationProvider.error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: state",
                    null);
        }
        ImplicitAuthorizationRequestToken original = new ImplicitAuthorizationRequestToken(
                request.getAuthorizationUri(), client.getClientId(), user, request.getRedirectUri(),
                request.getState(), request.getScopes(), Map.of());
        authorizations.remove(inFlight);

        Set<String> requested = request.getScopes();
        if (!requested.containsAll(answer.getScopes())) {
            throw ImplicitAuthorizationProvider.error(OAuth2ErrorCodes.INVALID_SCOPE, "OAuth 2.0 Parameter: scope",
                    original);
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), user.getName());
        Set<String> approved = new LinkedHashSet<>(answer.getScopes());
        if (previous != null) {
            requested.stream().filter(previous.getScopes()::contains).forEach(approved::add);
        }
        if (approved.isEmpty()) {
            throw ImplicitAuthorizationProvider.error(OAuth2ErrorCodes.ACCESS_DENIED,
                    "The user denied the request", original);
        }
        OAuth2AuthorizationConsent.Builder consent = previous == null
                ? OAuth2AuthorizationConsent.withId(client.getId(), user.getName())
                : OAuth2AuthorizationConsent.from(previous);
        approved.forEach(consent::scope);
        consents.save(consent.build());
        Map<String, Object> details = new HashMap<>();
        details.put("scopes", String.join(" ", approved));
        events.publishEvent(AuditEvent.of(AuditEventType.CONSENT_GRANTED, client.getClientId(), user.getName(),
                details));
        return new ImplicitAccessTokenAuthenticationToken(user, tokens.issue(client, user, approved),
                request.getRedirectUri(), request.getState());
    }
}
