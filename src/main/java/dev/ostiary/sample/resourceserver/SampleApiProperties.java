package dev.ostiary.sample.resourceserver;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the sample API needs to know about its authorization server and itself ({@code sample.*}).
 *
 * @param issuerUri the issuer; metadata and JWKS are discovered from it
 * @param audience the legacy audience also accepted in {@code aud}: what tokens asked for without a
 *        {@code resource} carry (the scope catalog's audience of this API's scopes); blank accepts only
 *        {@code resource}
 * @param jwksCacheTtl how long fetched keys are trusted before they are fetched again; an unknown
 *        {@code kid} is fetched at once (key rotation), at most once per {@code jwksMinRefreshInterval}
 * @param jwksMinRefreshInterval the least time between two fetches forced by unknown {@code kid}s (Nimbus'
 *        rate limiter): tokens with made-up {@code kid}s cannot make the API hammer the authorization server.
 *        Safe with rotation because Ostiary publishes the next key well ahead of signing with it.
 * @param logoutClientId the client whose back-channel logouts this sample receives ({@code aud} of the
 *        logout tokens posted to {@code /backchannel-logout}; docs/logout.md)
 * @param resource this API's resource identifier (RFC 8707, RFC 9728): the URL clients call it at,
 *        without a path; tokens carry it in {@code aud}, and its metadata says it
 * @param resourceName the name its protected resource metadata shows (RFC 9728 §2)
 */
@ConfigurationProperties("sample")
public record SampleApiProperties(
        @DefaultValue("http://localhost:9000") String issuerUri,
        @DefaultValue("demo-api") String audience,
        @DefaultValue("PT5M") Duration jwksCacheTtl,
        @DefaultValue("PT10S") Duration jwksMinRefreshInterval,
        @DefaultValue("web-app") String logoutClientId,
        @DefaultValue("http://localhost:8081") String resource,
        @DefaultValue("Ostiary sample API (patients and doctors)") String resourceName) {
}
