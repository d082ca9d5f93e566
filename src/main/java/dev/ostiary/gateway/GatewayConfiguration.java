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
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import dev.ostiary.authorization.AccessTokenAuthorizations;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.web.IssuerProperties;

/**
 * The gateway check's pieces. Its servlet filter ({@link GatewayCheckFilter}) is registered in order
 * with the others by {@code config/RequestPipeline}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    /**
     * Our published keys from memory ({@code keys/SigningKeySet}), only the algorithms we sign with and
     * {@code typ: at+jwt} (RFC 9068 §4), as {@code keys/KeysConfiguration#jwtDecoder} for introspection;
     * but no timestamp validator: expiry and {@code nbf} are {@link GatewayCheck}'s, with its clock and
     * no 60-second leeway on {@code exp}, and the issuer is its check too, so each refusal says why.
     */
    @Bean
    GatewayCheck gatewayCheck(SigningKeySet keySet, AccessTokenAuthorizations authorizations,
            IssuerProperties issuer, GatewayProperties properties, Clock clock) {
        NimbusJwtDecoder signatures = NimbusJwtDecoder.withJwkSource(keySet.verificationSource())
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        signatures.setJwtValidator(new JwtTypeValidator(List.of("at+jwt", "application/at+jwt")));
        return new GatewayCheck(signatures, authorizations,
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
