package dev.ostiary.client;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Registered client settings ({@code ostiary.clients.*}).
 *
 * @param secretPepper base64 of at least 32 random bytes, the HMAC key of client secret hashes
 *        (env {@code OSTIARY_CLIENT_SECRET_PEPPER}); when empty a throw-away one is generated and
 *        secrets stored under it stop matching after a restart
 * @param maxPerOwner the most clients one user may register on the self-service page
 * @param cacheSize the most clients kept in memory for the token endpoints (misses read the database)
 */
@ConfigurationProperties("ostiary.clients")
public record ClientProperties(@DefaultValue("") String secretPepper, @DefaultValue("20") int maxPerOwner,
        @DefaultValue("1000") int cacheSize) {
}
