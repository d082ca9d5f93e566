package dev.ostiary.grant.implicit;

import static dev.ostiary.grant.ClientRequirement.REDIRECT_URI;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.SelfServiceOffer;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.token.IssuedTokenAudit;

/**
 * The implicit grant (RFC 6749 §4.2, {@code response_type=token}), which Spring Authorization Server
 * left out: legacy (RFC 9700 §2.1.2: SHOULD NOT), so only for clients an administrator gave it, never
 * registered dynamically. Its short-lived access tokens are stateless (no refresh token, no row).
 */
@Configuration(proxyBeanMethods = false)
public class ImplicitGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(OstiaryGrantTypes.IMPLICIT)
                .requires(REDIRECT_URI)
                .selfService(SelfServiceOffer.LEGACY)
                .responseType("token")
                .statelessAccessTokens();
    }

    @Bean
    @Order(500)
    GrantRegistration implicitRegistration(ObjectProvider<RegisteredClientRepository> clients,
            ObjectProvider<OAuth2AuthorizationService> authorizations,
            ObjectProvider<OAuth2AuthorizationConsentService> consents, ObjectProvider<ScopeCatalog> scopes,
            ObjectProvider<IssuedTokenAudit> audit, ApplicationEventPublisher events) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        .authorizationRequestConverter(new ImplicitAuthorizationRequestConverter(clients.getObject()))
                        .authorizationProvider(new ImplicitAuthorizationProvider(clients.getObject(),
                                authorizations.getObject(), consents.getObject(),
                                new ResourceOwnerScopes(scopes.getObject()), endpoints.tokenGenerator()))
                        .authorizationResponses(new ImplicitAuthorizationResponses(endpoints.consentPage(),
                                audit.getObject()))
                        .consentedGrant(new ImplicitConsentApproval(authorizations.getObject(), consents.getObject(),
                                endpoints.tokenGenerator(), events)))
                .build();
    }
}
