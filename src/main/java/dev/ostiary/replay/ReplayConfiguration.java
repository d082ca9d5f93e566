package dev.ostiary.replay;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ReplayConfiguration {

    @Bean
    SeenJtis seenJtis(JdbcClient jdbc, Clock clock) {
        return new SeenJtis(jdbc, clock);
    }
}
