package dev.ostiary.dpop;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * DPoP at the token endpoint ({@code ostiary.dpop.*}).
 *
 * @param nonceRequired whether a proof must carry a current server nonce (RFC 9449 §8)
 * @param nonceLifetime how long a nonce is accepted
 */
@ConfigurationProperties("ostiary.dpop")
public record DPoPProperties(
        @DefaultValue("true") boolean nonceRequired,
        @DefaultValue("PT5M") Duration nonceLifetime) {
}
