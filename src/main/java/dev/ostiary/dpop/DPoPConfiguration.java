package dev.ostiary.dpop;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.client.ClientSecretHasher;

/**
 * DPoP's state. {@link DPoPTokenEndpointFilter} is not a bean: {@code config/RequestPipeline} puts it
 * into the authorization server's chain after client authentication.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DPoPProperties.class)
class DPoPConfiguration {

    /** Keyed by the client secret pepper, which every instance shares, so any instance checks any nonce. */
    @Bean
    DPoPNonces dPoPNonces(ClientSecretHasher secrets, Clock clock, DPoPProperties properties) {
        return new DPoPNonces(secrets.deriveKey("ostiary:dpop-nonce-key"), clock, properties.nonceLifetime());
    }
}
