package dev.ostiary.logout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Logout and back-channel delivery, {@code ostiary.logout.*} (docs/logout.md).
 *
 * @param deliveryInterval how often an instance looks for logout tokens due for delivery
 * @param tokenLifetime how long a logout token is valid after it is signed (each attempt signs anew)
 * @param firstRetry the wait after the first failed delivery; each further failure triples it
 * @param maxRetryDelay the longest wait between two attempts
 * @param maxAttempts attempts before a delivery is given up (and audited as such)
 * @param claimLease how long a claimed delivery is an instance's before another may take it over
 *        (longer than one attempt can take: the fetcher's connect and read timeouts)
 * @param batchSize deliveries claimed at once
 */
@ConfigurationProperties("ostiary.logout")
public record LogoutProperties(@DefaultValue("2s") Duration deliveryInterval,
        @DefaultValue("2m") Duration tokenLifetime, @DefaultValue("10s") Duration firstRetry,
        @DefaultValue("1h") Duration maxRetryDelay, @DefaultValue("10") int maxAttempts,
        @DefaultValue("1m") Duration claimLease, @DefaultValue("20") int batchSize) {

    public RetrySchedule retrySchedule() {
        return new RetrySchedule(firstRetry, maxRetryDelay, maxAttempts);
    }
}
