package dev.ostiary.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this server is ({@code ostiary.issuer}, env {@code OSTIARY_ISSUER}).
 *
 * @param issuer the URL in every token's {@code iss} and in the discovery documents; empty (the
 *        default) derives it from each request, as Spring Authorization Server does
 */
@ConfigurationProperties("ostiary")
public record IssuerProperties(@DefaultValue("") String issuer) {

    /** Whether the issuer is configured, not derived from the request. */
    public boolean fixed() {
        return !issuer.isBlank();
    }
}
