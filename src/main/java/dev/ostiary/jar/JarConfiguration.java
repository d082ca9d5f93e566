package dev.ostiary.jar;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.replay.SeenJtis;

/** Signed request objects (RFC 9101): the verifier the code grant's converters use. */
@Configuration(proxyBeanMethods = false)
class JarConfiguration {

    @Bean
    RequestObjectVerifier requestObjectVerifier(ClientAssertionDecoders keys, SeenJtis seen, Clock clock) {
        return new RequestObjectVerifier(keys, seen, clock);
    }
}
