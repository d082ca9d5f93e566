package dev.ostiary.grant.clientcredentials;

import static dev.ostiary.grant.ClientRequirement.CONFIDENTIAL_CLIENT;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;

import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.IssuanceAudit;
import dev.ostiary.grant.SelfServiceOffer;
import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;

/**
 * The client credentials grant (RFC 6749 §4.4), Spring's own, with Ostiary's scope rules: default
 * scopes ({@link ClientCredentialsDefaultScopes}) and the role each scope needs
 * ({@link ClientCredentialsRoleScopes}). Confidential clients only. Its access tokens are stateless (the
 * token endpoint's hot path writes no row) and their issuance is summed per client and minute.
 */
@Configuration(proxyBeanMethods = false)
public class ClientCredentialsGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .builtIntoSpring()
                .requires(CONFIDENTIAL_CLIENT)
                .selfService(SelfServiceOffer.ORDINARY)
                .dynamicallyRegistrable()
                .statelessAccessTokens()
                .issuanceAudit(IssuanceAudit.SUMMED_PER_MINUTE);
    }

    @Bean
    @Order(200)
    GrantRegistration clientCredentialsRegistration(ObjectProvider<ScopeCatalog> scopes,
            ObjectProvider<ServiceRoles> serviceRoles, ObjectProvider<ResourceIndicators> resources) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        .tokenRequestConverter(new ClientCredentialsDefaultScopes(scopes.getObject(),
                                serviceRoles.getObject(), resources.getObject()))
                        .editTokenProviders(providers -> providers.forEach(provider -> {
                            if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider clientCredentials) {
                                clientCredentials.setAuthenticationValidator(new ClientCredentialsRoleScopes(
                                        scopes.getObject(), serviceRoles.getObject(), resources.getObject()));
                            }
                        })))
                .build();
    }
}
