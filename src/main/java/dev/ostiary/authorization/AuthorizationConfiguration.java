package dev.ostiary.authorization;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.cluster.ChangeNotifications;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthorizationProperties.class)
public class AuthorizationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationConfiguration.class);

    @Bean
    RevokedAccessTokens revokedAccessTokens(JdbcClient jdbc, Clock clock, ChangeNotifications changes) {
        RevokedAccessTokens revoked = new RevokedAccessTokens(jdbc, clock);
        changes.subscribe("ostiary_revoked_token", revoked::notified, revoked::resync);
        return revoked;
    }

    @Bean
    PostgresRefreshTokenFamilies refreshTokenFamilies(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        return new PostgresRefreshTokenFamilies(jdbc, events, clock);
    }

    @Bean
    PostgresAuthorizationService authorizationService(JdbcClient jdbc, RegisteredClientRepository clients,
            JwtDecoder jwtDecoder, ApplicationEventPublisher events, Clock clock, RevokedAccessTokens revoked) {
        AuthorizationRows rows = new AuthorizationRows(clients, AuthorizationRows.securityJson());
        return new PostgresAuthorizationService(new AuthorizationTable(jdbc, rows, clock),
                new SingleUseConsumption(jdbc, rows, clients, events, clock),
                new StatelessAuthorizations(clients, revoked, clock), jwtDecoder);
    }

    @Bean
    ExpiredAuthorizations expiredAuthorizations(JdbcClient jdbc, RevokedAccessTokens revoked,
            AuthorizationProperties properties, Clock clock) {
        return new ExpiredAuthorizations(jdbc, revoked, properties.purgeGrace(), clock);
    }

    @Bean
    ExpiredAuthorizationPurge expiredAuthorizationPurge(ExpiredAuthorizations expired,
            AuthorizationProperties properties) {
        return new ExpiredAuthorizationPurge(expired, properties);
    }

    /** Purges every {@link AuthorizationProperties#purgeInterval()}, the first time one interval after startup. */
    static class ExpiredAuthorizationPurge implements SchedulingConfigurer {
        private final ExpiredAuthorizations expired;
        private final AuthorizationProperties properties;

        ExpiredAuthorizationPurge(ExpiredAuthorizations expired, AuthorizationProperties properties) {
            this.expired = expired;
            this.properties = properties;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(
                    new FixedDelayTask(this::purge, properties.purgeInterval(), properties.purgeInterval()));
        }

        void purge() {
            int deleted = expired.purge();
            if (deleted > 0) {
                log.info("Purged {} expired authorizations and revocation entries", deleted);
            }
        }
    }
}
