package dev.ostiary.grant.devicecode;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;

/**
 * The user's answer on the device consent page (RFC 8628 §3.3), before Spring's provider:
 * <ul>
 * <li>the scopes are reduced to those the user's roles allow, as for the code flow;</li>
 * <li>an answer with no scope is a denial, even when an earlier consent exists (Spring would add the
 * earlier consent's scopes and approve): the device code and user code are closed and the device
 * gets {@code access_denied};</li>
 * <li>approvals and denials are audited. Either closes the user code once: the store decides it
 * atomically, so a second answer to the same code fails.</li>
 * </ul>
 */
final class DeviceConsentAnswers implements AuthenticationProvider {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private final AuthenticationProvider spring;
    private final OAuth2AuthorizationService authorizations;
    private final ResourceOwnerScopes userScopes;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DeviceConsentAnswers(AuthenticationProvider spring, OAuth2AuthorizationService authorizations,
            ResourceOwnerScopes userScopes, ApplicationEventPublisher events, Clock clock) {
        this.spring = spring;
        this.authorizations = authorizations;
        this.userScopes = userScopes;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceAuthorizationConsentAuthenticationToken answer =
                (OAuth2DeviceAuthorizationConsentAuthenticationToken) authentication;
        if (!(answer.getPrincipal() instanceof Authentication user) || !user.isAuthenticated()) {
            return spring.authenticate(answer);
        }
        Set<String> allowed = userScopes.allowedFor(answer.getScopes(), user);
        if (allowed.isEmpty()) {
            deny(answer, user);
        }
        OAuth2DeviceAuthorizationConsentAuthenticationToken reduced = new OAuth2DeviceAuthorizationConsentAuthenticationToken(
                answer.getAuthorizationUri(), answer.getClientId(), user, answer.getUserCode(), answer.getState(),
                allowed, answer.getAdditionalParameters());
        reduced.setDetails(answer.getDetails());
        try {
            Authentication result = spring.authenticate(reduced);
            audit(AuditEventType.DEVICE_USER_CODE_VERIFIED, answer, user, Map.of("scopes", String.join(" ", allowed)));
            return result;
        } catch (OAuth2AuthenticationException e) {
            if (OAuth2ErrorCodes.ACCESS_DENIED.equals(e.getError().getErrorCode())) {
                audit(AuditEventType.DEVICE_USER_CODE_DENIED, answer, user, Map.of());
            }
            throw e;
        }
    }

    /** Closes the authorization waiting for this user's answer, then answers {@code access_denied}. */
    private void deny(OAuth2DeviceAuthorizationConsentAuthenticationToken answer, Authentication user) {
        OAuth2Authorization waiting = answer.getState() == null ? null : authorizations.findByToken(answer.getState(), STATE);
        if (waiting == null || !user.getName().equals(waiting.getPrincipalName())
                || waiting.getToken(OAuth2DeviceCode.class) == null || waiting.getToken(OAuth2UserCode.class) == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: " + OAuth2ParameterNames.STATE, null));
        }
        authorizations.save(OAuth2Authorization.from(waiting)
                .invalidate(waiting.getToken(OAuth2DeviceCode.class).getToken())
                .invalidate(waiting.getToken(OAuth2UserCode.class).getToken())
                .attributes(attributes -> attributes.remove(OAuth2ParameterNames.STATE))
                .build());
        audit(AuditEventType.DEVICE_USER_CODE_DENIED, answer, user, Map.of());
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
                "OAuth 2.0 Parameter: " + OAuth2ParameterNames.CLIENT_ID, null));
    }

    private void audit(AuditEventType type, OAuth2DeviceAuthorizationConsentAuthenticationToken answer,
            Authentication user, Map<String, Object> details) {
        String source = answer.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        events.publishEvent(new AuditEvent(clock.instant(), type, answer.getClientId(), user.getName(), source, details));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return spring.supports(authentication);
    }
}
