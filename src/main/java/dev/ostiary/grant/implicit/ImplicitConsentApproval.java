package dev.ostiary.grant.implicit;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.grant.ConsentedGrant;
import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * The consent page's answer to an implicit request. Approved (some of its scopes): remember the
 * approval like Spring does for the code flow, drop the in-flight authorization, issue the token.
 * Denied: {@code access_denied} in the redirect URI's fragment.
 */
public final class ImplicitConsentApproval implements ConsentedGrant {

    private final OAuth2AuthorizationService authorizations;
    private final OAuth2AuthorizationConsentService consents;
    private final ImplicitTokenIssuer tokens;
    private final ApplicationEventPublisher events;

    public ImplicitConsentApproval(OAuth2AuthorizationService authorizations,
            OAuth2AuthorizationConsentService consents, OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator,
            ApplicationEventPublisher events) {
        this.authorizations = authorizations;
        this.consents = consents;
        this.tokens = new ImplicitTokenIssuer(tokenGenerator);
        this.events = events;
    }

    @Override
    public AuthorizationGrantType grantType() {
        return OstiaryGrantTypes.IMPLICIT;
    }

    @Override
    public AuthenticationException denied(OAuth2Authorization inFlight, String errorCode, String description) {
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return new ImplicitAuthorizationException(errorCode, description, request.getRedirectUri(), request.getState());
    }

    @Override
    public Authentication approved(OAuth2AuthorizationConsentAuthenticationToken answer, OAuth2Authorization inFlight,
            RegisteredClient client) {
        Authentication user = (Authentication) answer.getPrincipal();
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        authorizations.remove(inFlight);
        Set<String> requested = request.getScopes();
        if (!requested.containsAll(answer.getScopes())) {
            throw new ImplicitAuthorizationException(OAuth2ErrorCodes.INVALID_SCOPE, "OAuth 2.0 Parameter: scope",
                    request.getRedirectUri(), request.getState());
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), user.getName());
        Set<String> approved = new LinkedHashSet<>(answer.getScopes());
        if (previous != null) {
            requested.stream().filter(previous.getScopes()::contains).forEach(approved::add);
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
        return new ImplicitAccessTokenAuthenticationToken(user, client.getClientId(), tokens.issue(client, user, approved),
                request.getRedirectUri(), request.getState());
    }
}
