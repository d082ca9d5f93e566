package dev.ostiary.abuse;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

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

    @Bean
    FilterRegistrationBean<AbuseGuardFilter> abuseGuardFilter(SourceGuard guard, AbuseProperties properties) {
        FilterRegistrationBean<AbuseGuardFilter> registration = new FilterRegistrationBean<>(new AbuseGuardFilter(guard,
                new ClientRateLimiter(properties.clientRequestsPerSecond(), properties.clientBurst())));
        // ahead of Spring Security, so a refused source costs nothing more
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
