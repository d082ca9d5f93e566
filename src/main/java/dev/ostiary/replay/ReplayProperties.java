package dev.ostiary.replay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One-time {@code jti}s ({@code ostiary.replay.*}).
 *
 * @param acceptedClockSkew how long after its expiry a client assertion's or DPoP proof's {@code jti}
 *        is still remembered; at least the clock skew the validators accept
 * @param purgeInterval how often forgotten {@code jti}s are deleted
 */
@ConfigurationProperties("ostiary.replay")
public record ReplayProperties(
        @DefaultValue("PT60S") Duration acceptedClockSkew,
        @DefaultValue("PT5M") Duration purgeInterval) {
}
