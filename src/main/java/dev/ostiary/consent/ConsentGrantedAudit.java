package dev.ostiary.consent;

import java.util.Map;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.scope.AuthorityNames;

/**
 * Audits a consent the user gave on the consent page as {@code consent.granted}, with the approved
 * scopes (Spring keeps them as {@code SCOPE_}-prefixed authorities; the audit names the scopes
 * themselves). Runs as the consent customizer of Spring's consent provider, so it sees the consent
 * that is about to be saved; a consent with nothing approved is not an event.
 */
public final class ConsentGrantedAudit implements Consumer<OAuth2AuthorizationConsentAuthenticationContext> {

    private final ApplicationEventPublisher events;

    public ConsentGrantedAudit(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void accept(OAuth2AuthorizationConsentAuthenticationContext context) {
        StringBuilder approved = new StringBuilder();
        context.getAuthorizationConsent().authorities(authorities -> authorities.stream()
                .map(GrantedAuthority::getAuthority)
                .map(AuthorityNames::scopeOf)
                .forEach(a -> approved.append(approved.isEmpty() ? "" : " ").append(a)));
        if (!approved.isEmpty()) {
            events.publishEvent(AuditEvent.of(AuditEventType.CONSENT_GRANTED,
                    context.getRegisteredClient().getClientId(),
                    context.getAuthorization().getPrincipalName(), Map.of("scopes", approved.toString())));
        }
    }
}
