package dev.ostiary.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail ({@code ostiary.audit.*}).
 *
 * @param flushInterval how often the queued events are written to the audit table in one batch
 */
@ConfigurationProperties("ostiary.audit")
public record AuditProperties(@DefaultValue("PT1S") Duration flushInterval) {
}
