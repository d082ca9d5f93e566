package dev.ostiary.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail ({@code ostiary.audit.*}).
 *
 * @param flushInterval how often the queued events are written to the audit table in one batch
 * @param retention how long an event is kept; older ones are deleted. Every sign-in, failed login
 *        and grant adds rows, so without a limit the table grows for as long as the server runs.
 *        A year, like the event expiration operators usually give Keycloak; zero keeps events forever
 *        (for deployments that ship them elsewhere and prune by hand)
 * @param purgeInterval how often events past their retention are deleted (also the delay before the
 *        first purge)
 */
@ConfigurationProperties("ostiary.audit")
public record AuditProperties(
        @DefaultValue("PT1S") Duration flushInterval,
        @DefaultValue("P365D") Duration retention,
        @DefaultValue("PT1H") Duration purgeInterval) {

    public AuditProperties {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("ostiary.audit.retention must not be negative (0 keeps events forever)");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("ostiary.audit.purge-interval must be positive");
        }
    }

    boolean keepsForever() {
        return retention.isZero();
    }
}
