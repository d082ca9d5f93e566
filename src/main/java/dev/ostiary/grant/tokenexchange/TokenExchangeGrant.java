package dev.ostiary.grant.tokenexchange;

import static dev.ostiary.grant.ClientRequirement.CONFIDENTIAL_CLIENT;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.scope.ScopeCatalog;

/**
 * The token exchange grant (RFC 8693), per client: only confidential clients whose
 * {@code grant_types} list it, within their {@code TokenExchangePolicy} (which subject-token
 * clients, which audiences, impersonation or delegation only). Spring implements the grant and lists
 * it in discovery; Ostiary keeps Spring's request converter, behind its token-type rules
 * ({@link TokenExchangeRequestConverter}), and puts its own provider in the place of Spring's
 * ({@link TokenExchangeAuthenticationProvider}): Spring's accepts scopes the subject token never had,
 * ignores the audience and lets the result outlive the subject token. Spring's must go, not merely
 * come after ours: the token endpoint's {@code ProviderManager} tries the next provider that
 * supports a request when one refuses it. Not dynamically registrable, not offered on the
 * self-service page: an administrator decides who may act for whom.
 */
@Configuration(proxyBeanMethods = false)
public class TokenExchangeGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(AuthorizationGrantType.TOKEN_EXCHANGE)
                .builtIntoSpring()
                .requires(CONFIDENTIAL_CLIENT);
    }

    @Bean
    @Order(700)
    GrantRegistration tokenExchangeRegistration(ObjectProvider<OAuth2AuthorizationService> authorizations,
            ObjectProvider<RegisteredClientRepository> clients, ObjectProvider<ScopeCatalog> scopes,
            ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        .tokenRequestConverter(new TokenExchangeRequestConverter())
                        .tokenProvider(new TokenExchangeAuthenticationProvider(authorizations.getObject(),
                                clients.getObject(), scopes.getObject(), endpoints.tokenGenerator(), events,
                                clock.getIfAvailable(Clock::systemUTC)))
                        .editTokenProviders(providers -> providers
                                .removeIf(OAuth2TokenExchangeAuthenticationProvider.class::isInstance)))
                .build();
    }
}
