package dev.ostiary.abuse;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * The abuse controls' state. Their filters ({@link AbuseGuardFilter}, {@link ClientRateLimitFilter})
 * are not beans: {@code config/RequestPipeline} puts them into the chains of the endpoints they guard,
 * and a filter bean would also run as a servlet filter, outside that chain's request matching.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AbuseProperties.class)
class AbuseConfiguration {

    @Bean
    FailureCounters failureCounters(JdbcClient jdbc, Clock clock) {
        return new FailureCounters(jdbc, clock);
    }

    @Bean
    SourceGuard sourceGuard(FailureCounters counters, AbuseProperties properties, JdbcClient jdbc, Clock clock) {
        return new SourceGuard(counters, properties, jdbc, clock);
    }

    /** Every instance re-reads the shared locks this often (a fixed delay, from startup). */
    @Bean
    SchedulingConfigurer sourceGuardRefresh(SourceGuard sources, AbuseProperties properties) {
        return registrar -> registrar.addFixedDelayTask(sources::refresh, properties.refreshInterval());
    }

    @Bean
    ClientRateLimiter clientRateLimiter(AbuseProperties properties) {
        return new ClientRateLimiter(properties.clientRequestsPerSecond(), properties.clientBurst());
    }
}
