package dev.ostiary.user;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resource owner settings ({@code ostiary.users.*}).
 *
 * @param lockoutThreshold failed password attempts that lock an account (login form and password
 *        grant alike)
 * @param lockoutWindow the window those failures are counted in
 * @param lockoutDuration how long the account then stays locked
 * @param argon2MemoryKib Argon2id memory cost; the defaults are OWASP's (19 MiB, 2 iterations, 1 lane)
 * @param argon2Iterations Argon2id time cost
 */
@ConfigurationProperties("ostiary.users")
public record UserProperties(
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("PT15M") Duration lockoutWindow,
        @DefaultValue("PT15M") Duration lockoutDuration,
        @DefaultValue("19456") int argon2MemoryKib,
        @DefaultValue("2") int argon2Iterations) {
}
