package dev.ostiary.replay;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ReplayConfiguration {

    @Bean
    SeenJtis seenJtis(JdbcClient jdbc, Clock clock,
            @Value("${ostiary.replay.accepted-clock-skew:PT60S}") Duration acceptedSkew) {
        return new SeenJtis(jdbc, clock, acceptedSkew);
    }
}
