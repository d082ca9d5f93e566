package dev.ostiary.authorization;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The authorization store ({@code ostiary.authorizations.*}).
 *
 * @param purgeInterval how often expired authorizations, rotated refresh tokens and revocation
 *        entries are deleted (also the delay before the first purge)
 */
@ConfigurationProperties("ostiary.authorizations")
public record AuthorizationProperties(@DefaultValue("PT10M") Duration purgeInterval) {
}
