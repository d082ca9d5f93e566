package dev.ostiary.replay;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplayProperties.class)
class ReplayConfiguration {

    @Bean
    SeenJtis seenJtis(JdbcClient jdbc, Clock clock, ReplayProperties properties) {
        return new SeenJtis(jdbc, clock, properties.acceptedClockSkew());
    }
}
