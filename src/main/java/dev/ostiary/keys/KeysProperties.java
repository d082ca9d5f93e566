package dev.ostiary.keys;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signing key settings ({@code ostiary.keys.*}).
 *
 * @param masterKey base64 of 32 random bytes that encrypts private keys at rest (env
 *        {@code OSTIARY_MASTER_KEY}); when empty a throw-away key is generated and a warning logged
 * @param algorithms algorithms with an active key; the first signs access tokens unless a client
 *        asks for another
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param nextKeyLeadTime how long a new key is published before it signs; longer than
 *        {@code jwksMaxAge} so every cache has seen it
 * @param clockSkew allowance added to a retired key's publication so late verifiers still find it
 * @param refreshInterval how often every instance re-reads the key table (also the delay before the first)
 * @param rotationCheckInterval how often the schedule checks whether a key is due to rotate
 * @param jwksMaxAge {@code Cache-Control: max-age} of the JWKS response
 * @param rotationEnabled whether the schedule rotates keys (on-demand rotation always works)
 * @param previousMasterKey during a master key rotation, the master key being replaced (env
 *        {@code OSTIARY_PREVIOUS_MASTER_KEY}): keys sealed under it can still be opened
 * @param reencrypt re-encrypt every key sealed under the previous master key at start-up, then go on
 * @param verifiedTokenCacheSize how many of our own tokens' signature checks are remembered (introspection
 *        of the same token again skips the RSA/ECDSA verification while the key set is unchanged; about
 *        2 KiB of heap each); 0 verifies every time
 */
@ConfigurationProperties("ostiary.keys")
public record KeysProperties(
        @DefaultValue("") String masterKey,
        @DefaultValue("RS256") List<SigningAlgorithm> algorithms,
        @DefaultValue("P30D") Duration rotationPeriod,
        @DefaultValue("PT1H") Duration nextKeyLeadTime,
        @DefaultValue("PT60S") Duration clockSkew,
        @DefaultValue("PT5S") Duration refreshInterval,
        @DefaultValue("PT1M") Duration rotationCheckInterval,
        @DefaultValue("PT5M") Duration jwksMaxAge,
        @DefaultValue("true") boolean rotationEnabled,
        @DefaultValue("") String previousMasterKey,
        @DefaultValue("false") boolean reencrypt,
        @DefaultValue("1000") int verifiedTokenCacheSize) {

    public KeysProperties {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("ostiary.keys.algorithms needs at least one algorithm");
        }
        if (nextKeyLeadTime.compareTo(jwksMaxAge) <= 0) {
            throw new IllegalArgumentException("ostiary.keys.next-key-lead-time (" + nextKeyLeadTime
                    + ") must be longer than ostiary.keys.jwks-max-age (" + jwksMaxAge
                    + ") so resource servers see a key before it signs");
        }
        if (verifiedTokenCacheSize < 0) {
            throw new IllegalArgumentException("ostiary.keys.verified-token-cache-size must not be negative");
        }
        if (rotationPeriod.compareTo(nextKeyLeadTime) <= 0) {
            throw new IllegalArgumentException("ostiary.keys.rotation-period must be longer than next-key-lead-time");
        }
    }

    public SigningAlgorithm defaultAlgorithm() {
        return algorithms.get(0);
    }
}
