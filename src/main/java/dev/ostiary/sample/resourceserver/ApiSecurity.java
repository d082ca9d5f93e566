package dev.ostiary.sample.resourceserver;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.client.RestClient;

/**
 * Token validation and the access table. Tokens are checked as RFC 9068 access tokens from our
 * issuer: signature by a key from the discovered JWKS (RS256 or ES256 only, the algorithm never
 * taken from the token's say-so; jku, x5u and embedded jwk headers ignored), {@code typ: at+jwt},
 * {@code iss}, {@code aud} containing this API ({@link #forThisApi}), {@code exp}/{@code nbf}. Failures
 * answer as RFC 6750 says: 401 {@code invalid_token}, 403 {@code insufficient_scope} naming what was
 * missing, 401 {@code insufficient_user_authentication} with {@code acr_values} for a token whose sign-in
 * is weaker than the operation needs (RFC 9470 §3), each challenge with {@code resource_metadata}
 * (RFC 9728 §5.1, {@link ProtectedResourceMetadata}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleApiProperties.class)
class ApiSecurity {

    private static final HttpMessageConverter<OAuth2Error> ERRORS = new OAuth2ErrorHttpMessageConverter();

    @Bean
    ProtectedResourceMetadata protectedResourceMetadata(SampleApiProperties properties) {
        return new ProtectedResourceMetadata(properties);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, JwtDecoder tokens, ProtectedResourceMetadata metadata) throws Exception {
        http.authorizeHttpRequests(authorize -> {
            for (AccessRule rule : ApiAccess.RULES) {
                authorize.requestMatchers(rule.method(), rule.path()).access(AuthorizationManagers.allOf(
                        AuthorityAuthorizationManager.hasAuthority("SCOPE_" + rule.scope()),
                        AuthorityAuthorizationManager.hasAuthority("ROLE_" + rule.role()),
                        (caller, context) -> new AuthorizationDecision(signedInStrongly(caller.get(), rule))));
            }
            authorize.requestMatchers("/actuator/health/**").permitAll();
            // the logout token in the body is the credential (BackchannelLogoutReceiver checks it)
            authorize.requestMatchers(HttpMethod.POST, BackchannelLogoutReceiver.PATH).permitAll();
            authorize.anyRequest().denyAll();
        });
        http.oauth2ResourceServer(server -> server
                .bearerTokenResolver(new DPoPBoundTokensAreNotBearer())
                .jwt(jwt -> jwt.decoder(tokens).jwtAuthenticationConverter(scopesAndRoles()))
                // Authorization: DPoP <token> with a proof of the bound key, incl. ath (RFC 9449 §7)
                .dPoP(dpop -> dpop.authenticationFailureHandler(metadata.dPoPChallenges()))
                // RFC 9728: the metadata document, and resource_metadata in every challenge (§5.1)
                .protectedResourceMetadata(document -> document.protectedResourceMetadataCustomizer(
                        metadata.document(ApiAccess.scopes())))
                .authenticationEntryPoint(metadata.bearerChallenges())
                .accessDeniedHandler(insufficientScope(metadata)));
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        http.csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Built on first use, so the API can start before the authorization server. */
    @Bean
    JwtDecoder tokens(SampleApiProperties properties) {
        return new SupplierJwtDecoder(() -> decoder(properties));
    }

    static JwtDecoder decoder(SampleApiProperties properties) {
        try {
            URL jwksUrl = URI.create(discoverJwksUri(properties.issuerUri())).toURL();
            long ttl = properties.jwksCacheTtl().toMillis();
            // an unknown kid (a key rotation) refetches the JWKS at once, but at most once per interval
            // (review L9): a stream of made-up kids costs the authorization server nothing
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl)
                    .cache(ttl, Math.min(15_000, ttl))
                    // never longer than half the cache lifetime, or the cache could not refresh on time
                    .rateLimited(Math.min(properties.jwksMinRefreshInterval().toMillis(), ttl / 2))
                    .refreshAheadCache(false)
                    .retrying(true)
                    .build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"),
                    new JOSEObjectType("application/at+jwt")));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256,
                    JWSAlgorithm.ES256), keys));
            // claims are checked by Spring's validators below
            processor.setJWTClaimsSetVerifier((claims, context) -> { });
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            // RFC 9068 §4: aud must name this API; Spring's builder insists on an aud check, ours
            // accepts the resource identifier or the legacy audience (forThisApi)
            decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                    .issuer(properties.issuerUri())
                    .validators(checks -> checks.put(JwtClaimNames.AUD, forThisApi(properties)))
                    .build());
            return decoder;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot discover the authorization server at " + properties.issuerUri(), e);
        }
    }

    /**
     * {@code aud} names this API: its resource identifier (a token asked for with {@code resource},
     * RFC 8707), or the legacy audience that Ostiary's scope catalog gives this API's scopes (a token
     * asked for without it), unless that is turned off (blank).
     */
    static OAuth2TokenValidator<Jwt> forThisApi(SampleApiProperties properties) {
        Set<String> accepted = properties.audience() == null || properties.audience().isBlank()
                ? Set.of(properties.resource()) : Set.of(properties.resource(), properties.audience());
        return new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                aud -> aud != null && aud.stream().anyMatch(accepted::contains));
    }

    /** RFC 8414 discovery: the issuer's metadata names its JWKS. */
    static String discoverJwksUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<?, ?> metadata = RestClient.create().get().uri(base + "/.well-known/oauth-authorization-server")
                .retrieve().body(Map.class);
        if (metadata == null || !issuer.equals(metadata.get("issuer")) || metadata.get("jwks_uri") == null) {
            throw new IllegalStateException("The metadata at " + base + " is not for issuer " + issuer);
        }
        return metadata.get("jwks_uri").toString();
    }

    /** {@code scope} (space-separated) becomes SCOPE_x authorities, {@code roles} ROLE_x. */
    private static JwtAuthenticationConverter scopesAndRoles() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(ApiSecurity::authorities);
        return converter;
    }

    private static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        String scope = jwt.getClaimAsString("scope");
        if (scope != null && !scope.isBlank()) {
            for (String s : scope.trim().split("\\s+")) {
                authorities.add(new SimpleGrantedAuthority("SCOPE_" + s));
            }
        }
        List<String> roles = jwt.getClaimAsStringList("roles");
        if (roles != null) {
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        }
        return authorities;
    }

    /**
     * 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="…"} (RFC 6750 §3.1),
     * and a description naming the missing role when that is what failed.
     */
    private static AccessDeniedHandler insufficientScope(ProtectedResourceMetadata metadata) {
        return (request, response, denied) -> {
            AccessRule rule = ruleFor(request);
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            if (rule != null && has(caller, "SCOPE_" + rule.scope()) && has(caller, "ROLE_" + rule.role())
                    && !signedInStrongly(caller, rule)) {
                // RFC 9470 §3: 401 and the level to ask for, so the client sends the user back to sign in
                String description = "Deleting a record needs a sign-in with a second factor";
                write(response, HttpServletResponse.SC_UNAUTHORIZED, metadata.withResourceMetadata(
                        "Bearer error=\"insufficient_user_authentication\", error_description=\"" + description
                                + "\", acr_values=\"" + rule.acr() + "\""),
                        "insufficient_user_authentication", description);
                return;
            }
            StringBuilder challenge = new StringBuilder("Bearer error=\"insufficient_scope\"");
            String description = "The request requires higher privileges than provided by the access token";
            if (rule != null) {
                boolean hasScope = has(caller, "SCOPE_" + rule.scope());
                boolean hasRole = has(caller, "ROLE_" + rule.role());
                if (hasScope && !hasRole) {
                    description = "The request requires role " + rule.role();
                }
                challenge.append(", error_description=\"").append(description).append('"');
                challenge.append(", scope=\"").append(rule.scope()).append('"');
            }
            write(response, HttpServletResponse.SC_FORBIDDEN, metadata.withResourceMetadata(challenge.toString()),
                    "insufficient_scope", description);
        };
    }

    /** The token's {@code acr} is the one the rule names (no rule: anything). */
    static boolean signedInStrongly(Authentication caller, AccessRule rule) {
        if (rule.acr() == null) {
            return true;
        }
        return caller instanceof JwtAuthenticationToken token && rule.acr().equals(token.getToken().getClaimAsString("acr"));
    }

    private static AccessRule ruleFor(HttpServletRequest request) {
        for (AccessRule rule : ApiAccess.RULES) {
            if (PathPatternRequestMatcher.withDefaults().matcher(rule.method(), rule.path()).matches(request)) {
                return rule;
            }
        }
        return null;
    }

    private static boolean has(Authentication caller, String authority) {
        return caller != null && caller.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
    }

    /** The challenge in the header (RFC 6750 §3), the same error as JSON in the body, as Spring writes it. */
    private static void write(HttpServletResponse response, int status, String challenge, String error,
            String description) throws IOException {
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(HttpStatusCode.valueOf(status));
        http.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        ERRORS.write(new OAuth2Error(error, description, null), null, http);
    }

}
