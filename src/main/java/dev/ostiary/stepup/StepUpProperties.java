package dev.ostiary.stepup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Step-up ({@code ostiary.step-up.*}, docs/sign-in.md "step-up").
 *
 * @param adminRequiresSecondFactor scope {@code ostiary:admin} needs a second factor (whatever the scope
 *        catalog says) and the admin API refuses a user's token without acr {@code urn:ostiary:loa:2}
 *        (403 {@code insufficient_user_authentication}, RFC 9470 §3); service tokens (client_credentials)
 *        are not affected. Off only for a deployment without any second factor.
 */
@ConfigurationProperties("ostiary.step-up")
public record StepUpProperties(@DefaultValue("true") boolean adminRequiresSecondFactor) {
}
