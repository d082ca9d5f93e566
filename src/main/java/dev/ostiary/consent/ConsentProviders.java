package dev.ostiary.consent;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.grant.ConsentedGrant;

/**
 * The authorization endpoint's providers with Spring's consent provider put behind our consent
 * answers ({@link ConsentAnswers}: a denial, another grant's approval), and the consents it saves
 * audited ({@link ConsentGrantedAudit}). Every other provider is kept as it is.
 */
public final class ConsentProviders implements Consumer<List<AuthenticationProvider>> {

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final List<ConsentedGrant> otherGrants;
    private final ApplicationEventPublisher events;

    public ConsentProviders(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
            List<ConsentedGrant> otherGrants, ApplicationEventPublisher events) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.otherGrants = List.copyOf(otherGrants);
        this.events = events;
    }

    @Override
    public void accept(List<AuthenticationProvider> providers) {
        providers.replaceAll(provider -> {
            if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
                consent.setAuthorizationConsentCustomizer(new ConsentGrantedAudit(events));
                return new ConsentAnswers(consent, otherGrants, authorizations, clients);
            }
            return provider;
        });
    }
}
