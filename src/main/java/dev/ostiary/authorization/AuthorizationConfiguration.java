package dev.ostiary.authorization;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

import dev.ostiary.cluster.ChangeNotifications;

@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties(AuthorizationProperties.class)
public class AuthorizationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationConfiguration.class);

    @Bean
    RevokedAccessTokens revokedAccessTokens(JdbcClient jdbc, Clock clock, ChangeNotifications changes) {
        RevokedAccessTokens revoked = new RevokedAccessTokens(jdbc, clock);
        changes.subscribe("ostiary_revoked_token", revoked::notified, revoked::resync);
        return revoked;
    }

    @Bean
    PostgresAuthorizationService authorizationService(JdbcClient jdbc, RegisteredClientRepository clients,
            JwtDecoder jwtDecoder, ApplicationEventPublisher events, Clock clock, RevokedAccessTokens revoked) {
        // Spring Security's own Jackson modules, with their allow-list of types: what
        // JdbcOAuth2AuthorizationService uses for the same attributes.
        List<JacksonModule> modules = SecurityJacksonModules.getModules(AuthorizationConfiguration.class.getClassLoader());
        JsonMapper json = JsonMapper.builder().addModules(modules).build();
        return new PostgresAuthorizationService(jdbc, clients, json, jwtDecoder, events, clock, revoked);
    }

    @Bean
    ExpiredAuthorizationPurge expiredAuthorizationPurge(PostgresAuthorizationService service) {
        return new ExpiredAuthorizationPurge(service);
    }

    static class ExpiredAuthorizationPurge {
        private final PostgresAuthorizationService service;

        ExpiredAuthorizationPurge(PostgresAuthorizationService service) {
            this.service = service;
        }

        @Scheduled(initialDelayString = "#{@'ostiary.authorizations-dev.ostiary.authorization.AuthorizationProperties'.purgeInterval()}",
                fixedDelayString = "#{@'ostiary.authorizations-dev.ostiary.authorization.AuthorizationProperties'.purgeInterval()}")
        void purge() {
            int deleted = service.purgeExpired();
            if (deleted > 0) {
                log.info("Purged {} expired authorizations and revocation entries", deleted);
            }
        }
    }
}
