package dev.ostiary.client;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

import dev.ostiary.replay.SeenJtis;

/**
 * Verifies client assertions (RFC 7523 §3, {@code private_key_jwt} and {@code client_secret_jwt})
 * for Spring Authorization Server's assertion provider, which knows only keys published at a URL:
 * <ul>
 * <li>keys come from the client's inline JWKS or its JWKS URL (signatures RS256, PS256, ES256), or,
 * for client_secret_jwt, from its secret (HS256);</li>
 * <li>{@code iss} and {@code sub} are the client id, {@code aud} names this server (its issuer or
 * one of its endpoints), {@code exp} is required and at most 10 minutes ahead;</li>
 * <li>a {@code jti} is required and accepted once, on any instance: a replayed assertion is
 * {@code invalid_client}.</li>
 * </ul>
 * Decoders are rebuilt when the client's keys or secret change.
 */
public class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    private static final Duration LONGEST_LIFETIME = Duration.ofMinutes(10);

    private final ClientManagement clients;
    private final SeenJtis seen;
    private final Clock clock;
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

    public ClientAssertionDecoders(ClientManagement clients, SeenJtis seen, Clock clock) {
        this.clients = clients;
        this.seen = seen;
        this.clock = clock;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        boolean keys = client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        String inline = OstiaryClientSettings.inlineJwks(client);
        String url = client.getClientSettings().getJwkSetUrl();
        String version = client.getClientId() + "|" + keys + "|" + (inline == null ? "" : inline.hashCode()) + "|" + url
                + "|" + client.getClientSecret();
        return decoders.computeIfAbsent(version, v -> build(client, keys, inline, url));
    }

    private JwtDecoder build(RegisteredClient client, boolean keyBased, String inline, String url) {
        decoders.keySet().removeIf(key -> key.startsWith(client.getClientId() + "|"));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        if (keyBased) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                    Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keySource(inline, url)));
        } else {
            String secret = clients.secretForAssertions(client.getClientId());
            if (secret == null) {
                // not a client_secret_jwt client: nothing can verify its assertions
                processor.setJWSKeySelector((header, context) -> List.of());
            } else {
                processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                        new ImmutableJWKSet<>(new JWKSet(new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(
                                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), MacAlgorithm.HS256.getName()))
                                .build()))));
            }
        }
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                claims(client.getClientId())));
        return decoder;
    }

    private static JWKSource<SecurityContext> keySource(String inline, String url) {
        try {
            if (inline != null) {
                return new ImmutableJWKSet<>(JWKSet.parse(inline));
            }
            return JWKSourceBuilder.create(new URL(url)).build();
        } catch (Exception e) {
            throw new IllegalStateException("The client's keys cannot be read", e);
        }
    }

    private OAuth2TokenValidator<Jwt> claims(String clientId) {
        return jwt -> {
            if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
                return failure("iss and sub must both be the client id");
            }
            if (!audienceIsUs(jwt.getAudience())) {
                return failure("aud must name this authorization server");
            }
            Instant expiresAt = jwt.getExpiresAt();
            if (expiresAt == null || expiresAt.isAfter(clock.instant().plus(LONGEST_LIFETIME))) {
                return failure("exp is required and at most 10 minutes ahead");
            }
            if (jwt.getId() == null || jwt.getId().isBlank()) {
                return failure("jti is required");
            }
            if (!seen.firstUse(SeenJtis.Kind.CLIENT_ASSERTION, clientId, jwt.getId(), expiresAt)) {
                return failure("this assertion was already used");
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    private static boolean audienceIsUs(List<String> audience) {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        if (audience == null || context == null) {
            return false;
        }
        String issuer = context.getIssuer();
        var settings = context.getAuthorizationServerSettings();
        List<String> us = List.of(issuer, issuer + settings.getTokenEndpoint(),
                issuer + settings.getTokenIntrospectionEndpoint(), issuer + settings.getTokenRevocationEndpoint(),
                issuer + settings.getPushedAuthorizationRequestEndpoint());
        return audience.stream().anyMatch(us::contains);
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_client", description,
                "https://datatracker.ietf.org/doc/html/rfc7523#section-3"));
    }
}
