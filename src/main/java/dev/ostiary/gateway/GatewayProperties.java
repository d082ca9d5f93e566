package dev.ostiary.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The nginx {@code auth_request} check endpoint ({@code ostiary.gateway}, docs/gateway.md).
 *
 * @param enabled whether {@code GET /gateway/check} answers at all; off (the default) it is a 404 for
 *        everybody. On, it answers only connections from {@code ostiary.trusted-proxies}
 * @param realm the {@code realm} of the RFC 6750 challenges: a quoted-string, so no {@code "} or {@code \}
 * @param cacheFor how long nginx may keep an answer at most ({@code X-Accel-Expires}); an allowed token's
 *        answer never outlives the token. It is also how long a revocation may go unnoticed at the gateway
 */
@ConfigurationProperties("ostiary.gateway")
public record GatewayProperties(@DefaultValue("false") boolean enabled, @DefaultValue("api") String realm,
        @DefaultValue("5s") Duration cacheFor) {

    public GatewayProperties {
        if (!realm.matches("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
            throw new IllegalArgumentException("ostiary.gateway.realm must be printable ASCII without \" or \\");
        }
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("ostiary.gateway.cache-for must not be negative");
        }
    }
}
