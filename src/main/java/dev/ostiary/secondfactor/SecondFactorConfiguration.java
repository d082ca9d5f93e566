package dev.ostiary.secondfactor;

import java.time.Clock;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authorization.AuthorizationManagerFactory;
import org.springframework.security.authorization.DefaultAuthorizationManagerFactory;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.login.EnrolledFactors;

/** The second factor's beans, and Rule R1 as the additional authorization of every {@code authenticated()}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecondFactorProperties.class)
public class SecondFactorConfiguration {

    @Bean
    SecondFactors secondFactors(JdbcClient jdbc, PlatformTransactionManager transactions, MasterKey masterKey,
            KeysProperties keys, ClientSecretHasher secrets, FailureCounters counters, SecondFactorProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        MasterKey previous = keys.previousMasterKey().isBlank() ? null : MasterKey.fromBase64(keys.previousMasterKey());
        return new SecondFactors(new TotpCredentials(jdbc, new TransactionTemplate(transactions)), masterKey, previous,
                secrets.deriveKey("second-factor-recovery-codes"), counters, properties, events, clock);
    }

    @Bean
    SecondFactorRequirement secondFactorRequirement(List<EnrolledFactors> enrolledFactors) {
        return new SecondFactorRequirement(enrolledFactors);
    }

    /**
     * Spring Security's authorization configurers take the AuthorizationManagerFactory bean for
     * {@code authenticated()} and the like in every chain; ours adds R1 to each of them.
     * {@code permitAll()} is left alone: the login pages, the second-factor page, static resources.
     */
    @Bean
    AuthorizationManagerFactory<RequestAuthorizationContext> secondFactorAuthorizationManagerFactory(
            SecondFactorRequirement requirement) {
        DefaultAuthorizationManagerFactory<RequestAuthorizationContext> factory = new DefaultAuthorizationManagerFactory<>();
        factory.setAdditionalAuthorization(requirement);
        return factory;
    }
}
