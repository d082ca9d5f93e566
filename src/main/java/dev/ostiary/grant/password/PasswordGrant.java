package dev.ostiary.grant.password;

import static dev.ostiary.grant.ClientRequirement.CONFIDENTIAL_CLIENT;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;

import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.SelfServiceOffer;
import dev.ostiary.grant.TokenRoles;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.user.UserAuthenticationProvider;

/**
 * The resource owner password credentials grant (RFC 6749 §4.3), which Spring Authorization Server
 * left out: legacy (RFC 9700 §2.4: MUST NOT), so only for confidential clients an administrator gave
 * it, never registered dynamically. Its tokens carry the roles of the user it just authenticated.
 */
@Configuration(proxyBeanMethods = false)
public class PasswordGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(OstiaryGrantTypes.PASSWORD)
                .requires(CONFIDENTIAL_CLIENT)
                .selfService(SelfServiceOffer.LEGACY)
                .tokenRoles(TokenRoles.USER_AUTHENTICATED_BY_THE_GRANT);
    }

    @Bean
    @Order(400)
    GrantRegistration passwordRegistration(ObjectProvider<UserAuthenticationProvider> users,
            ObjectProvider<OAuth2AuthorizationService> authorizations, ObjectProvider<ScopeCatalog> scopes,
            ObjectProvider<SecondFactors> secondFactors, ObjectProvider<Clock> clock) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        .tokenRequestConverter(new PasswordGrantAuthenticationConverter())
                        .tokenProvider(new PasswordGrantAuthenticationProvider(users.getObject(),
                                authorizations.getObject(), endpoints.tokenGenerator(), scopes.getObject(),
                                secondFactors.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC))))
                .build();
    }
}
