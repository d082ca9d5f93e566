package dev.ostiary.recovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Account recovery and e-mail verification ({@code ostiary.recovery.*}; docs/sign-in.md#recovery).
 *
 * @param resetLinkLifetime how long a password reset link works (once)
 * @param verificationLinkLifetime how long a registration or address verification link works (once)
 * @param mailsPerAccount mails to one account (or one address) per {@code mailWindow}
 * @param mailsPerSource mails caused from one client address per {@code mailWindow}
 * @param mailWindow the window the two limits count in
 * @param mailWorkers threads that look accounts up and send mail after the form has answered
 * @param mailQueue requests waiting for them; beyond it a request is dropped (and audited)
 */
@ConfigurationProperties("ostiary.recovery")
public record RecoveryProperties(@DefaultValue("30m") Duration resetLinkLifetime,
        @DefaultValue("24h") Duration verificationLinkLifetime, @DefaultValue("3") int mailsPerAccount,
        @DefaultValue("20") int mailsPerSource, @DefaultValue("1h") Duration mailWindow,
        @DefaultValue("2") int mailWorkers, @DefaultValue("200") int mailQueue) {
}
