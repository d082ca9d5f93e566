package dev.ostiary.secondfactor;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * For a browser chain ({@code http.with(new SecondFactorStep(), withDefaults())}): where a request
 * goes that {@link SecondFactorRequirement} denied for a missing second factor. Spring's
 * missing-authority handler saves the request (the chain's request cache, HttpSessionRequestCache)
 * and calls this entry point, which redirects to {@value #PAGE}. Registered for every second factor
 * and for any request, so it also wins over the login page that the WebAuthn configurer registers
 * as the default for a missing {@code FACTOR_WEBAUTHN}.
 */
public final class SecondFactorStep extends AbstractHttpConfigurer<SecondFactorStep, HttpSecurity> {

    /** The page of the step after the password. */
    public static final String PAGE = "/login/second-factor";

    @Override
    @SuppressWarnings("unchecked")
    public void init(HttpSecurity http) {
        ExceptionHandlingConfigurer<HttpSecurity> exceptions = http.getConfigurer(ExceptionHandlingConfigurer.class);
        if (exceptions == null) {
            return;
        }
        LoginUrlAuthenticationEntryPoint page = new LoginUrlAuthenticationEntryPoint(PAGE);
        for (String factor : SecondFactorRequirement.SECOND_FACTORS) {
            exceptions.defaultDeniedHandlerForMissingAuthority(
                    entryPoints -> entryPoints.addEntryPointFor(page, AnyRequestMatcher.INSTANCE), factor);
        }
    }
}
