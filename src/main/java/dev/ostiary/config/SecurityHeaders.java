package dev.ostiary.config;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Response headers for every chain. Pages load only our own stylesheet and scripts, cannot be framed
 * (clickjacking on the consent page), and send no Referer: an authorization response in a URL must
 * not leak to anything the next page loads. No {@code form-action}: the consent form's answer is a
 * redirect to the client, which browsers would check against it.
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static Customizer<HeadersConfigurer<org.springframework.security.config.annotation.web.builders.HttpSecurity>> strict() {
        return headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER));
    }
}
