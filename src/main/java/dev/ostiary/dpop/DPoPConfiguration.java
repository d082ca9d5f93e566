package dev.ostiary.dpop;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.client.ClientSecretHasher;

/**
 * DPoP's state. {@link DPoPTokenEndpointFilter} is not a bean: {@code config/RequestPipeline} puts it
 * into the authorization server's chain after client authentication.
 */
@Configuration(proxyBeanMethods = false)
class DPoPConfiguration {

    /** Keyed by the client secret pepper, which every instance shares, so any instance checks any nonce. */
    @Bean
    DPoPNonces dPoPNonces(ClientSecretHasher secrets, Clock clock,
            @Value("${ostiary.dpop.nonce-lifetime:PT5M}") Duration lifetime) {
        return new DPoPNonces(secrets.hash("ostiary:dpop-nonce-key").getBytes(StandardCharsets.UTF_8), clock, lifetime);
    }
}
