package dev.ostiary.token;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.grant.Grants;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.stepup.SecondFactorPolicy;
import dev.ostiary.stepup.SignInClaims;
import dev.ostiary.user.Accounts;

@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    /**
     * Every token Ostiary issues ({@link OstiaryTokenGenerator}: Spring's default claims, then
     * {@link AccessTokenClaims}). Declared, rather than left to Spring Authorization Server, because
     * Spring's generator never gives a public client a refresh token, not even a DPoP-bound one.
     */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder jwtEncoder, ScopeCatalog scopes, SigningKeySet keys,
            KeysProperties keysProperties, Accounts accounts, ServiceRoles serviceRoles, Grants grants,
            ResourceIndicators resources, SecondFactorPolicy secondFactors) {
        AccessTokenClaims claims = new AccessTokenClaims(scopes, keys, keysProperties, accounts, serviceRoles, grants,
                new ResourceAudience(resources));
        SignInClaims signIn = new SignInClaims(secondFactors);
        return OstiaryTokenGenerator.create(jwtEncoder, context -> {
            claims.customize(context);
            signIn.customize(context);
        });
    }

    @Bean
    IssuedTokenAudit issuedTokenAudit(ApplicationEventPublisher events, Grants grants, Clock clock) {
        return new IssuedTokenAudit(events, grants, clock);
    }
}
