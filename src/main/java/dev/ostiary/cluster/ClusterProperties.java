package dev.ostiary.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the nodes of a cluster share state ({@code ostiary.cluster.*}).
 *
 * @param nodes how many nodes are expected to share the database; sizes the per-client rate limit's
 *        batches (see {@code abuse/ClientRateLimiter}); a wrong guess changes the cost, not the limit
 * @param heartbeatInterval how often the change-notification connection and the leader's
 *        connection are checked with {@code select 1}, and how often a node that is not leader tries
 *        to become it
 * @param heartbeatTimeout how long such a check may wait for the database before its connection
 *        counts as dead (a server that vanished without closing the connection)
 */
@ConfigurationProperties("ostiary.cluster")
public record ClusterProperties(
        @DefaultValue("3") int nodes,
        @DefaultValue("PT2S") Duration heartbeatInterval,
        @DefaultValue("PT5S") Duration heartbeatTimeout) {
}
