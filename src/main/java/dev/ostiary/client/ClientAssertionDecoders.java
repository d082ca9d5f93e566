package dev.ostiary.client;

import java.net.URI;
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
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

import dev.ostiary.fetch.OutboundFetchProperties;
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
 * Decoders are rebuilt when the client's keys or secret change; the replaced one's key source is closed.
 */
public class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    private static final Duration LONGEST_LIFETIME = Duration.ofMinutes(10);
    /** JwtTimestampValidator's default. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);

    private final ClientManagement clients;
    private final SeenJtis seen;
    private final Clock clock;
    private final ResourceRetriever retriever;
    private final OutboundFetchProperties fetching;
    /** One decoder per registered client (only clients that exist get here), replaced when its keys change. */
    private final Map<String, Versioned> decoders = new ConcurrentHashMap<>();

    /** A client's decoder, the key material it was built from, and the URL key source to close with it. */
    private record Versioned(String version, JwtDecoder decoder, JWKSource<SecurityContext> source) {
    }

    public ClientAssertionDecoders(ClientManagement clients, SeenJtis seen, Clock clock, ResourceRetriever retriever,
            OutboundFetchProperties fetching) {
        this.clients = clients;
        this.seen = seen;
        this.clock = clock;
        this.retriever = retriever;
        this.fetching = fetching;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        boolean keys = client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        String inline = OstiaryClientSettings.inlineJwks(client);
        String url = client.getClientSettings().getJwkSetUrl();
        String version = keys + "|" + (inline == null ? "" : inline.hashCode()) + "|" + url + "|"
                + client.getClientSecret();
        Versioned current = decoders.get(client.getClientId());
        if (current != null && current.version().equals(version)) {
            return current.decoder();
        }
        // built outside the map (building may read the database); the map only swaps whole entries
        Versioned built = build(client, version, keys, inline, url);
        Versioned kept = decoders.compute(client.getClientId(),
                (id, existing) -> existing != null && existing.version().equals(version) ? existing : built);
        if (kept != built) {
            close(built);
        } else if (current != null) {
            close(current);
        }
        return kept.decoder();
    }

    /**
     * The client's verification keys: the same (cached) JWKS URL source its assertions are checked
     * with, or its inline JWKS; for its other signed JWTs, such as request objects (RFC 9101 §6.2).
     */
    public JWKSource<SecurityContext> keysOf(RegisteredClient client) {
        createDecoder(client);
        Versioned current = decoders.get(client.getClientId());
        if (current != null && current.source() != null) {
            return current.source();
        }
        String url = client.getClientSettings().getJwkSetUrl();
        String inline = OstiaryClientSettings.inlineJwks(client);
        return inline == null && url == null ? (selector, context) -> List.of() : keySource(inline, url);
    }

    /** A URL key source holds a cache (and, were it enabled, a refresh thread): closed when replaced. */
    private static void close(Versioned replaced) {
        if (replaced.source() instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (java.io.IOException e) {
                // nothing held but memory
            }
        }
    }

    private Versioned build(RegisteredClient client, String version, boolean keyBased, String inline, String url) {
        JWKSource<SecurityContext> source = keyBased ? keySource(inline, url) : null;
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        if (keyBased) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                    ALGORITHMS, source));
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
        JwtDecoder checked = keyBased && inline == null ? new CheapChecksFirst(client.getClientId(), decoder) : decoder;
        return new Versioned(version, checked, inline == null ? source : null);
    }

    /**
     * Inline keys, or the client's JWKS URL through the one outbound fetcher (dev.ostiary.fetch): https
     * to a public address, pinned, no redirects, size-capped. Nimbus caches the set and fetches again
     * for an unknown {@code kid} at most once per {@code ostiary.fetch.min-refresh-interval}; no
     * refresh-ahead (it would start a thread per client).
     */
    private JWKSource<SecurityContext> keySource(String inline, String url) {
        try {
            if (inline != null) {
                return new ImmutableJWKSet<>(JWKSet.parse(inline));
            }
            return JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(), retriever)
                    .cache(fetching.cacheTtl().toMillis(), fetching.readTimeout().toMillis() + fetching.connectTimeout().toMillis())
                    .refreshAheadCache(false)
                    .rateLimited(Math.min(fetching.minRefreshInterval().toMillis(), fetching.cacheTtl().toMillis() / 2))
                    .retrying(false)
                    .build();
        } catch (Exception e) {
            // a stored URL or key set that cannot be read verifies nothing
            return (selector, context) -> List.of();
        }
    }

    /**
     * The checks that need no key, made before the key set is fetched (review M1): an assertion that
     * is not a signed JWT with an allowed algorithm, names another client, is not for us or has
     * expired makes no outbound request. The full validation (signature, then the same claims and the
     * single-use {@code jti}) follows in the delegate.
     */
    private final class CheapChecksFirst implements JwtDecoder {
        private final String clientId;
        private final JwtDecoder delegate;

        CheapChecksFirst(String clientId, JwtDecoder delegate) {
            this.clientId = clientId;
            this.delegate = delegate;
        }

        @Override
        public Jwt decode(String token) {
            JWTClaimsSet claims;
            try {
                if (!(JWTParser.parse(token) instanceof SignedJWT signed)
                        || !ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
                    throw new BadJwtException("The assertion must be a JWT signed with RS256, PS256 or ES256");
                }
                claims = signed.getJWTClaimsSet();
            } catch (java.text.ParseException e) {
                throw new BadJwtException("The assertion is not a JWT");
            }
            Instant now = clock.instant();
            if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject())
                    || !audienceIsUs(claims.getAudience()) || claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().isBefore(now.minus(CLOCK_SKEW))
                    || claims.getExpirationTime().toInstant().isAfter(now.plus(LONGEST_LIFETIME))) {
                throw new BadJwtException("iss and sub must be the client id, aud this server, exp present and near");
            }
            return delegate.decode(token);
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
