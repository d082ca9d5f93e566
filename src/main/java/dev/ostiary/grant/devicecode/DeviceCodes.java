package dev.ostiary.grant.devicecode;

import java.time.Clock;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.crypto.RandomTokens;

/**
 * Device codes (RFC 8628 §3.2): 256 random bits, base64url, like every other token Ostiary issues,
 * so the store's unsalted SHA-256 digest of one is safe to keep. Only the device ever sees one.
 */
public final class DeviceCodes implements OAuth2TokenGenerator<OAuth2DeviceCode> {

    private final Clock clock;

    public DeviceCodes(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OAuth2DeviceCode generate(OAuth2TokenContext context) {
        if (context.getTokenType() == null
                || !OAuth2ParameterNames.DEVICE_CODE.equals(context.getTokenType().getValue())) {
            return null;
        }
        Instant issuedAt = clock.instant();
        return new OAuth2DeviceCode(RandomTokens.generate(), issuedAt,
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getDeviceCodeTimeToLive()));
    }
}
