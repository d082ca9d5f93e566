package dev.ostiary.audit;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

import dev.ostiary.grant.Grants;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean(destroyMethod = "flushAll")
    AuditTrail auditTrail(JdbcTemplate jdbc, MeterRegistry meters, Grants grants) {
        return new AuditTrail(jdbc, meters, grants);
    }

    /** Batches go to the database this often (a fixed delay, from startup). */
    @Bean
    AuditEvents auditEvents(JdbcClient jdbc, JdbcTemplate jdbcTemplate,
            org.springframework.transaction.support.TransactionTemplate transactions, AuditTrail trail) {
        return new AuditEvents(jdbc, jdbcTemplate, transactions, trail);
    }

    @Bean
    SchedulingConfigurer auditFlush(AuditTrail trail, AuditProperties properties) {
        return registrar -> registrar.addFixedDelayTask(trail::flush, properties.flushInterval());
    }

    /**
     * Events past their retention are deleted every purge interval, the first time one interval after
     * startup (a start is busy enough); nothing is scheduled when events are kept forever.
     */
    @Bean
    SchedulingConfigurer auditPurge(JdbcClient jdbc, AuditProperties properties, Clock clock) {
        if (properties.keepsForever()) {
            log.info("Audit events are kept forever (ostiary.audit.retention=0)");
            return registrar -> { };
        }
        ExpiredAuditEvents expired = new ExpiredAuditEvents(jdbc, properties.retention(), clock);
        return registrar -> registrar.addFixedDelayTask(new FixedDelayTask(() -> purge(expired),
                properties.purgeInterval(), properties.purgeInterval()));
    }

    static void purge(ExpiredAuditEvents expired) {
        int deleted = expired.purge();
        if (deleted > 0) {
            java.time.Duration retention = expired.retention();
            log.info("Purged {} audit events older than {} (ostiary.audit.retention)", deleted,
                    retention.toSeconds() % 86_400 == 0 ? retention.toDays() + " days" : retention);
        }
    }
}
