package dev.ostiary.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo profile's settings ({@code ostiary.demo.*}).
 *
 * @param allowNonLoopbackIssuer load the published demo credentials for an issuer that is not a
 *        loopback URL: only for a throw-away server nobody else reaches
 * @param adminScopeRequiresSecondFactor the sample API's scope {@code admin} (deleting patients) is marked in
 *        the scope catalog as needing a second factor, on every start (docs/sign-in.md, step-up)
 */
@ConfigurationProperties("ostiary.demo")
public record DemoProperties(@DefaultValue("false") boolean allowNonLoopbackIssuer,
        @DefaultValue("true") boolean adminScopeRequiresSecondFactor) {
}
