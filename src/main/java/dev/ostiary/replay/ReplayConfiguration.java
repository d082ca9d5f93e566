package dev.ostiary.replay;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplayProperties.class)
class ReplayConfiguration {

    @Bean
    SeenJtis seenJtis(JdbcClient jdbc, Clock clock, ReplayProperties properties) {
        return new SeenJtis(jdbc, clock, properties.acceptedClockSkew());
    }

    /** Expired jtis are deleted this often (a fixed delay, from startup). */
    @Bean
    SchedulingConfigurer seenJtiPurge(SeenJtis seenJtis, ReplayProperties properties) {
        return registrar -> registrar.addFixedDelayTask(seenJtis::purge, properties.purgeInterval());
    }
}
