package dev.ostiary.audit;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

import dev.ostiary.grant.Grants;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    @Bean(destroyMethod = "flushAll")
    AuditTrail auditTrail(JdbcTemplate jdbc, MeterRegistry meters, Grants grants) {
        return new AuditTrail(jdbc, meters, grants);
    }

    /** Batches go to the database this often (a fixed delay, from startup). */
    @Bean
    SchedulingConfigurer auditFlush(AuditTrail trail, AuditProperties properties) {
        return registrar -> registrar.addFixedDelayTask(trail::flush, properties.flushInterval());
    }
}
