package dev.ostiary.abuse;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Abuse controls ({@code ostiary.abuse.*}).
 *
 * @param sourceIpThreshold failed logins and failed client authentications from one address, within
 *        {@code window}, after which that address gets 429 for {@code lockDuration}; 0 turns it off
 * @param clientThreshold failed authentications of one client id, within {@code window}, after which
 *        further attempts for it get 429 for {@code lockDuration}; 0 (the default) only counts, since
 *        anyone who knows a client id could otherwise lock it out
 * @param window the window failures are counted in
 * @param lockDuration how long a source (or client) then waits
 * @param clientRequestsPerSecond token requests per second allowed per client by the whole cluster
 *        (one bucket in PostgreSQL, see {@link ClientRateLimiter}); 0 (the default) means no limit
 * @param clientBurst how many requests above the rate a client may send at once, cluster-wide
 * @param tokenEndpointAllow addresses or CIDR ranges allowed to reach the token, introspection and
 *        revocation endpoints; empty allows everyone
 * @param tokenEndpointDeny addresses or CIDR ranges refused there, checked first
 * @param refreshInterval how often each instance re-reads the locks every instance set
 */
@ConfigurationProperties("ostiary.abuse")
public record AbuseProperties(
        @DefaultValue("30") int sourceIpThreshold,
        @DefaultValue("0") int clientThreshold,
        @DefaultValue("PT5M") Duration window,
        @DefaultValue("PT5M") Duration lockDuration,
        @DefaultValue("0") double clientRequestsPerSecond,
        @DefaultValue("20") int clientBurst,
        @DefaultValue("") List<String> tokenEndpointAllow,
        @DefaultValue("") List<String> tokenEndpointDeny,
        @DefaultValue("PT5S") Duration refreshInterval) {
}
