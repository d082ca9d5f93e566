package dev.ostiary.passkeys;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

import dev.ostiary.login.EnrolledFactors;
import dev.ostiary.user.PostgresUserDetailsService;
import dev.ostiary.web.IssuerProperties;

/**
 * Passkeys' beans. Spring's {@code WebAuthnConfigurer} picks up the repositories and the relying
 * party operations by type.
 */
@Configuration(proxyBeanMethods = false)
class PasskeysConfiguration {

    @Bean
    PublicKeyCredentialUserEntityRepository passkeyUserEntities(JdbcClient jdbc) {
        return new PasskeyUserEntities(jdbc);
    }

    @Bean
    UserCredentialRepository passkeyCredentials(JdbcOperations operations, JdbcClient jdbc,
            ApplicationEventPublisher events, Clock clock) {
        return new PasskeyCredentials(operations, jdbc, events, clock);
    }

    @Bean
    IssuerRelyingParty issuerRelyingParty(PublicKeyCredentialUserEntityRepository userEntities,
            UserCredentialRepository credentials, IssuerProperties issuer, JdbcClient jdbc, Clock clock) {
        return new IssuerRelyingParty(userEntities, credentials, issuer, jdbc, clock);
    }

    @Bean
    AccountPasskeys accountPasskeys(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        return new AccountPasskeys(jdbc, events, clock);
    }

    @Bean
    PasskeyAdministration passkeyAdministration(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        return new PasskeyAdministration(jdbc, events, clock);
    }

    @Bean
    EnrolledFactors passkeyEnrolledFactors(AccountPasskeys passkeys) {
        return new PasskeyEnrolledFactors(passkeys);
    }

    @Bean
    PasskeysSecurity passkeysSecurity(IssuerRelyingParty relyingParty, JdbcClient jdbc, AccountPasskeys passkeys,
            ApplicationEventPublisher events, Clock clock) {
        // not a bean: UserConfiguration keeps the user details service out of the context (lockout)
        return new PasskeysSecurity(relyingParty, new PostgresUserDetailsService(jdbc), passkeys, events, clock);
    }
}
