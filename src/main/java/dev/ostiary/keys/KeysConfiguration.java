package dev.ostiary.keys;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.cluster.ChangeNotifications;
import dev.ostiary.cluster.ClusterLeadership;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.web.IssuerProperties;

/**
 * Wires the signing keys: master key, key set, key service, encoder and decoder. The JWKS endpoint's
 * filter ({@link JwksEndpointFilter}) is registered in order with the others by {@code config/RequestPipeline}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeysProperties.class)
public class KeysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeysConfiguration.class);

    @Bean
    MasterKey masterKey(KeysProperties properties) {
        if (properties.masterKey() == null || properties.masterKey().isBlank()) {
            MasterKey generated = MasterKey.generate();
            log.warn("OSTIARY_MASTER_KEY is not set: generated a throw-away master key ({}). Signing keys created now"
                    + " cannot be decrypted after a restart and will be replaced then. Set OSTIARY_MASTER_KEY to"
                    + " base64 of 32 random bytes (openssl rand -base64 32) in every real deployment.", generated.id());
            return generated;
        }
        return MasterKey.fromBase64(properties.masterKey());
    }

    @Bean
    SigningKeyCipher signingKeyCipher(MasterKey masterKey, KeysProperties properties) {
        NativeCryptoProvider.install();
        MasterKey previous = properties.previousMasterKey().isBlank() ? null
                : MasterKey.fromBase64(properties.previousMasterKey());
        return new SigningKeyCipher(masterKey, previous);
    }

    @Bean
    SigningKeySet signingKeySet(SigningKeyRepository repository, SigningKeyCipher cipher, Clock clock,
            ChangeNotifications changes) {
        SigningKeySet keySet = new SigningKeySet(repository, cipher, clock);
        changes.subscribe("ostiary_signing_key", kid -> keySet.reload(), keySet::reload);
        return keySet;
    }

    @Bean
    SigningKeyService signingKeyService(SigningKeyRepository repository, SigningKeyCipher cipher,
            SigningKeySet keySet, KeysProperties properties,
            LongestTokenLifetime longestTokenLifetime,
            TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        return new SigningKeyService(repository, cipher, keySet, properties, longestTokenLifetime, transactions,
                events, clock);
    }

    /** Signs with the active key of the header's algorithm; the key's kid goes into the header. */
    @Bean
    KeyFootprint keyFootprint(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        return new KeyFootprint(jdbc);
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeySet keySet) {
        return new NimbusJwtEncoder(keySet.signingSource());
    }

    /**
     * Verifies our own access tokens (introspection, admin API) against the published keys: only the
     * algorithms we sign with, {@code typ: at+jwt} (RFC 9068), lifetime, and the issuer when it is fixed.
     * A token's signature check is remembered while the key set stays the same ({@link VerifiedSignatures}).
     */
    @Bean
    JwtDecoder jwtDecoder(SigningKeySet keySet, IssuerProperties issuer, KeysProperties properties) {
        NimbusJwtDecoder signatures = NimbusJwtDecoder.withJwkSource(keySet.verificationSource())
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTypeValidator(List.of("at+jwt", "application/at+jwt")));
        validators.add(new JwtTimestampValidator());
        if (issuer.fixed()) {
            validators.add(new JwtIssuerValidator(issuer.issuer()));
        }
        // the claims are checked at every use; only the signature check is remembered per token and key set
        signatures.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return new VerifiedSignatures(signatures, new DelegatingOAuth2TokenValidator<>(validators), keySet::current,
                properties.verifiedTokenCacheSize());
    }

    /**
     * The one key set Spring Authorization Server knows: without this bean Spring Boot's
     * {@code OAuth2AuthorizationServerJwtAutoConfiguration} makes up a random RSA key and Spring's
     * JWK Set endpoint filter would publish it (review I3).
     */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeySet keySet) {
        return keySet.verificationSource();
    }

    /**
     * Creates the first keys (or replaces unusable ones) once the beans exist and before the web
     * server starts, so the first token request already finds a key.
     */
    @Bean
    SmartInitializingSingleton signingKeysAtStartup(SigningKeyService service, SigningKeySet keySet,
            KeysProperties properties) {
        return () -> {
            if (properties.reencrypt()) {
                int count = service.reencryptUnderCurrentMasterKey();
                log.warn("Re-encrypted {} signing keys under the current master key. Remove"
                        + " OSTIARY_PREVIOUS_MASTER_KEY once every instance runs with the new master key.", count);
            }
            service.ensureSigningKeys();
            keySet.reload();
        };
    }

    /** In the readiness group as {@code signingKeys} (application.yml). */
    @Bean
    SigningKeysHealthIndicator signingKeysHealthIndicator(SigningKeySet keySet, KeysProperties properties) {
        return new SigningKeysHealthIndicator(keySet, properties);
    }

    @Bean
    KeyRotationSchedule keyRotationSchedule(SigningKeyService service, SigningKeySet keySet,
            KeysProperties properties, ClusterLeadership leadership) {
        return new KeyRotationSchedule(service, keySet, properties, leadership::isLeader);
    }

    /**
     * Rotation on schedule, and every instance's periodic re-read of the key table: each a fixed delay
     * of its interval, the first run one interval after startup (the keys were just loaded then). Only
     * the cluster's leader rotates on schedule; every node re-reads.
     */
    static class KeyRotationSchedule implements SchedulingConfigurer {
        private final SigningKeyService service;
        private final SigningKeySet keySet;
        private final KeysProperties properties;
        private final BooleanSupplier leader;

        KeyRotationSchedule(SigningKeyService service, SigningKeySet keySet, KeysProperties properties,
                BooleanSupplier leader) {
            this.service = service;
            this.keySet = keySet;
            this.properties = properties;
            this.leader = leader;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(new FixedDelayTask(this::refresh, properties.refreshInterval(),
                    properties.refreshInterval()));
            registrar.addFixedDelayTask(new FixedDelayTask(this::rotate, properties.rotationCheckInterval(),
                    properties.rotationCheckInterval()));
        }

        void refresh() {
            keySet.reload();
        }

        void rotate() {
            if (properties.rotationEnabled() && leader.getAsBoolean()) {
                service.rotateIfDue();
            }
        }
    }
}
