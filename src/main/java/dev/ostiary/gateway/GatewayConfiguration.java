package dev.ostiary.gateway;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.ostiary.authorization.AccessTokenAuthorizations;
import dev.ostiary.web.IssuerProperties;

/**
 * The gateway check's pieces. Its servlet filter ({@link GatewayCheckFilter}) is registered in order
 * with the others by {@code config/RequestPipeline}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    /**
     * The same verification introspection uses ({@code keys/KeysConfiguration#jwtDecoder}: our published
     * keys, RS256/ES256, {@code at+jwt}, the fixed issuer), then the check's own exact rules.
     */
    @Bean
    GatewayCheck gatewayCheck(JwtDecoder jwtDecoder, AccessTokenAuthorizations authorizations,
            IssuerProperties issuer, GatewayProperties properties, Clock clock) {
        return new GatewayCheck(jwtDecoder, authorizations,
                issuer.fixed() ? Optional.of(issuer.issuer()) : Optional.empty(), properties.cacheFor(), clock);
    }

    @Bean
    GatewayCallers gatewayCallers(GatewayProperties properties, Environment environment) {
        return new GatewayCallers(properties.enabled(), Binder.get(environment)
                .bind("ostiary.trusted-proxies", Bindable.listOf(String.class)).orElse(List.of()));
    }

    @Bean
    GatewayMetrics gatewayMetrics(ObjectProvider<MeterRegistry> registry) {
        return new GatewayMetrics(registry.getIfAvailable(
                io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
    }
}
