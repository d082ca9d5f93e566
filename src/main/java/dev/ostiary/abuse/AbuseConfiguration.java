package dev.ostiary.abuse;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class AbuseConfiguration {

    @Bean
    FailureCounters failureCounters(JdbcClient jdbc, Clock clock) {
        return new FailureCounters(jdbc, clock);
    }
}
