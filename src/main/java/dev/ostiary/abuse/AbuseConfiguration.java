package dev.ostiary.abuse;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

import dev.ostiary.cluster.ChangeNotifications;
import dev.ostiary.cluster.ClusterProperties;

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
    SourceGuard sourceGuard(FailureCounters counters, AbuseProperties properties, JdbcClient jdbc, Clock clock,
            ChangeNotifications changes) {
        SourceGuard guard = new SourceGuard(counters, properties, jdbc, clock);
        // a lock set on any node reaches this one at once; after missed notifications, a full re-read
        changes.subscribe("ostiary_failure_lock", guard::lockNotified, guard::refresh);
        return guard;
    }

    /** Every instance re-reads the shared locks this often (a fixed delay, from startup). */
    @Bean
    SchedulingConfigurer sourceGuardRefresh(SourceGuard sources, AbuseProperties properties) {
        return registrar -> registrar.addFixedDelayTask(sources::refresh, properties.refreshInterval());
    }

    @Bean
    ClientRateLimiter clientRateLimiter(AbuseProperties properties, ClusterProperties cluster, JdbcClient jdbc,
            Clock clock) {
        SharedRateBuckets buckets = new SharedRateBuckets(jdbc, properties.clientRequestsPerSecond(),
                Math.max(1, properties.clientBurst()));
        return new ClientRateLimiter(properties.clientRequestsPerSecond(), properties.clientBurst(), cluster.nodes(),
                buckets, clock);
    }

    /** Full buckets are forgotten once a minute (a missing row is a full bucket), like the counters' purge. */
    @Bean
    SchedulingConfigurer clientRateBucketPurge(ClientRateLimiter limiter) {
        return registrar -> registrar.addFixedDelayTask(limiter::purge, Duration.ofMinutes(1));
    }
}
