package dev.ostiary.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator console ({@code ostiary.console.*}, docs/console.md).
 *
 * @param idleTimeout how long the console may go without a request before the next one signs the
 *        operator out (password and second factor again), shorter than the browser session's own timeout:
 *        an unattended console is a standing admin grant (OWASP ASVS V3.3: shorter idle timeouts for
 *        high-value sessions). Keycloak's admin console is bound by its realm's SSO idle time alone.
 */
@ConfigurationProperties("ostiary.console")
public record ConsoleProperties(@DefaultValue("PT15M") Duration idleTimeout) {

    public ConsoleProperties {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("ostiary.console.idle-timeout must be positive, was " + idleTimeout);
        }
    }
}
