package dev.ostiary.logout;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;

import dev.ostiary.fetch.PinnedFormPoster;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.user.Deprovisioning;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogoutProperties.class)
class LogoutConfiguration {

    @Bean
    BackchannelLogoutOutbox backchannelLogoutOutbox(JdbcClient jdbc, Clock clock) {
        return new BackchannelLogoutOutbox(jdbc, clock);
    }

    @Bean
    BackchannelLogoutDelivery backchannelLogoutDelivery(BackchannelLogoutOutbox outbox, JwtEncoder jwtEncoder,
            PinnedFormPoster poster, ApplicationEventPublisher events, LogoutProperties properties, Clock clock) {
        return new BackchannelLogoutDelivery(outbox, new LogoutTokens(jwtEncoder, properties.tokenLifetime()), poster,
                events, properties, clock);
    }

    /** Due logout tokens are delivered this often (a fixed delay, from startup), by whichever instance claims them. */
    @Bean
    SchedulingConfigurer backchannelLogoutSchedule(BackchannelLogoutDelivery delivery, LogoutProperties properties) {
        return registrar -> registrar.addFixedDelayTask(delivery::deliverDue, properties.deliveryInterval());
    }

    @Bean
    SessionAuthorizations sessionAuthorizations(JdbcClient jdbc, OAuth2AuthorizationService authorizations) {
        return new SessionAuthorizations(jdbc, authorizations);
    }

    @Bean
    SessionLogout sessionLogout(SessionAuthorizations sessions, BackchannelLogoutOutbox outbox,
            ApplicationEventPublisher events, Clock clock) {
        return new SessionLogout(sessions, outbox, events, clock);
    }

    @Bean
    SignOutEverywhere signOutEverywhere(SessionAuthorizations sessions, BackchannelLogoutOutbox outbox,
            Deprovisioning deprovisioning, ApplicationEventPublisher events, Clock clock) {
        return new SignOutEverywhere(sessions, outbox, deprovisioning, events, clock);
    }

    /**
     * The {@code id_token_hint} must be signed by one of our published keys; its lifetime is not
     * checked: RP-initiated logout §2 accepts an expired ID token as a hint.
     */
    @Bean
    RpInitiatedLogout rpInitiatedLogout(SessionLogout sessionLogout, SigningKeySet keySet) {
        return new RpInitiatedLogout(sessionLogout, VerifiedLogoutRequests.idTokenSignatures(keySet.verificationSource()));
    }
}
