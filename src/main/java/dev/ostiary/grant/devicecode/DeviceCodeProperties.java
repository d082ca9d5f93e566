package dev.ostiary.grant.devicecode;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The device authorization grant ({@code ostiary.device-code.*}).
 *
 * @param interval the least time between two polls of the token endpoint (RFC 8628 §3.2
 *        {@code interval}); a client that polls sooner gets {@code slow_down} and 5 seconds more
 * @param userCodeAttempts wrong user codes one user may enter within {@code userCodeWindow} before
 *        being locked out of the verification page
 * @param userCodeSourceAttempts the same for one address, higher: many users may share one (a NAT)
 * @param userCodeWindow the window wrong user codes are counted in
 * @param userCodeLock how long a user or address then waits
 */
@ConfigurationProperties("ostiary.device-code")
public record DeviceCodeProperties(
        @DefaultValue("PT5S") Duration interval,
        @DefaultValue("5") int userCodeAttempts,
        @DefaultValue("20") int userCodeSourceAttempts,
        @DefaultValue("PT5M") Duration userCodeWindow,
        @DefaultValue("PT15M") Duration userCodeLock) {
}
