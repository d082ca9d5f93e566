package dev.ostiary.fetch;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How Ostiary fetches documents it was given the URL of (client {@code jwks_uri}s), {@code ostiary.fetch.*}.
 *
 * @param allowHttpLoopback development only: allow {@code http://} to a loopback host (127.0.0.1, [::1],
 *     localhost), and loopback addresses at all; off, every URL must be https to a public address
 * @param allowedRanges CIDRs that are allowed although they are private, loopback, link-local… (an
 *     internal JWKS host, e.g. {@code 10.20.0.0/16}); empty by default
 * @param connectTimeout the longest wait for a connection
 * @param readTimeout the longest the whole answer may take once connected
 * @param maxSize the largest document accepted
 * @param minRefreshInterval the least time between two fetches of one URL when a key is not found
 *     (Nimbus' rate limiter); the cache keeps a fetched set for {@code cacheTtl}
 * @param cacheTtl how long a fetched key set is used before it is fetched again
 */
@ConfigurationProperties("ostiary.fetch")
public record OutboundFetchProperties(@DefaultValue("false") boolean allowHttpLoopback,
        @DefaultValue List<String> allowedRanges, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("3s") Duration readTimeout, @DefaultValue("32KB") DataSize maxSize,
        @DefaultValue("30s") Duration minRefreshInterval, @DefaultValue("5m") Duration cacheTtl) {
}
