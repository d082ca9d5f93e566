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
 * @param argon2MemoryKib Argon2id memory cost. The defaults (7 MiB, 5 iterations, 1 lane) are one of
 *        the five configurations OWASP's Password Storage Cheat Sheet rates as equally strong (19 MiB
 *        with 2 iterations is another), and Keycloak's: the one that holds the least memory per login
 *        in progress, and on this hardware the fastest to check (the working set stays in cache)
 * @param argon2Iterations Argon2id time cost
 * @param argon2Concurrency password hashes computed at once (0: one per available core); more only
 *        compete for the same cores and hold the memory cost each
 * @param argon2QueueCapacity password hashes that may wait for a hashing thread; when that many
 *        wait, a login fails at once as temporarily unavailable instead of queueing (256 is about
 *        three seconds of work for two cores at the default cost)
 * @param argon2Implementation which Argon2 computes the hashes: {@code auto} (the system's libargon2
 *        when it loads and passes a known-answer test at start, else Bouncy Castle), {@code native}
 *        (libargon2 or no start), {@code bouncy-castle}; all read and write the same hashes
 */
@ConfigurationProperties("ostiary.users")
public record UserProperties(
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("PT15M") Duration lockoutWindow,
        @DefaultValue("PT15M") Duration lockoutDuration,
        @DefaultValue("7168") int argon2MemoryKib,
        @DefaultValue("5") int argon2Iterations,
        @DefaultValue("0") int argon2Concurrency,
        @DefaultValue("256") int argon2QueueCapacity,
        @DefaultValue("auto") Argon2Implementation argon2Implementation) {
}
