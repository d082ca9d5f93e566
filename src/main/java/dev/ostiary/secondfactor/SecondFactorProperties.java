package dev.ostiary.secondfactor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Second-factor settings ({@code ostiary.second-factor.*}).
 *
 * @param lockoutThreshold wrong codes (TOTP or recovery, sign-in, password grant and account page
 *        alike) after which a user's second factor is locked; counted apart from passwords
 * @param lockoutWindow the window those failures are counted in
 * @param lockoutDuration how long the second factor then stays locked
 * @param issuer the issuer label apps show next to the account ({@code otpauth://totp/<issuer>:<user>})
 */
@ConfigurationProperties("ostiary.second-factor")
public record SecondFactorProperties(
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("PT15M") Duration lockoutWindow,
        @DefaultValue("PT15M") Duration lockoutDuration,
        @DefaultValue("Ostiary") String issuer) {
}
