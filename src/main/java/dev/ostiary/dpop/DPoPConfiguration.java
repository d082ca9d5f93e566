package dev.ostiary.dpop;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.replay.SeenJtis;

@Configuration(proxyBeanMethods = false)
class DPoPConfiguration {

    /** Keyed by the client secret pepper, which every instance shares, so any instance checks any nonce. */
    @Bean
    DPoPNonces dPoPNonces(ClientSecretHasher secrets, Clock clock,
            @Value("${ostiary.dpop.nonce-lifetime:PT5M}") Duration lifetime) {
        return new DPoPNonces(secrets.hash("ostiary:dpop-nonce-key").getBytes(StandardCharsets.UTF_8), clock, lifetime);
    }

    @Bean
    FilterRegistrationBean<DPoPTokenEndpointFilter> dPoPTokenEndpointFilter(DPoPNonces nonces, SeenJtis seen,
            RegisteredClientRepository clients, @Value("${ostiary.dpop.nonce-required:true}") boolean nonceRequired) {
        FilterRegistrationBean<DPoPTokenEndpointFilter> registration = new FilterRegistrationBean<>(
                new DPoPTokenEndpointFilter(nonces, seen, clients, nonceRequired));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 25);
        return registration;
    }
}
