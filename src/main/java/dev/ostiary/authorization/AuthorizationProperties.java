package dev.ostiary.authorization;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The authorization store ({@code ostiary.authorizations.*}).
 *
 * @param purgeInterval how often expired authorizations, rotated refresh tokens and revocation
 *        entries are deleted (also the delay before the first purge)
 * @param purgeGrace how long past its last expiry a row is kept. An expired row serves no grant, but
 *        its ID token is still a valid {@code id_token_hint}: OpenID Connect RP-Initiated Logout 1.0
 *        §2 asks the OP to accept an expired one from a recent session, and the hint is matched to its
 *        row. The grace also covers a request that read the row just before it expired.
 */
@ConfigurationProperties("ostiary.authorizations")
public record AuthorizationProperties(@DefaultValue("PT10M") Duration purgeInterval,
        @DefaultValue("PT1H") Duration purgeGrace) {

    public AuthorizationProperties {
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        Objects.requireNonNull(purgeGrace, "purgeGrace");
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("ostiary.authorizations.purge-interval must be positive");
        }
        if (purgeGrace.isNegative()) {
            throw new IllegalArgumentException("ostiary.authorizations.purge-grace must not be negative");
        }
    }
}
