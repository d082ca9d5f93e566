package dev.ostiary.grant.tokenexchange;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeActor;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.token.IssuedTokenAudit;

/**
 * The token exchange grant (RFC 8693) in the shape of Spring Authorization Server's own
 * {@code OAuth2TokenExchangeAuthenticationProvider}, which this replaces: Spring's checks that the
 * subject token is an active access token of this server, with Ostiary's policy on top
 * ({@link ExchangePolicy}). Impersonation (no actor token) issues a token for the subject alone;
 * delegation names the actor in {@code act}, the earlier actors of a delegated subject token nested
 * inside it (§4.1), as Spring's default token customizer writes it from the
 * {@link OAuth2TokenExchangeCompositeAuthenticationToken} principal. A DPoP proof binds the result
 * (RFC 9449 §5). No refresh token: the result lives no longer than what it was exchanged for.
 * Every refusal is audited ({@code token.exchange_refused}).
 */
public final class TokenExchangeAuthenticationProvider implements AuthenticationProvider {

    private static final DPoPProofJwtDecoderFactory DPOP_PROOFS = new DPoPProofJwtDecoderFactory();
    /** The result must not outlive the subject token by the clock's rounding to whole seconds in the JWT. */
    private static final Duration ROUNDING = Duration.ofSeconds(1);

    private final ExchangePolicy policy;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public TokenExchangeAuthenticationProvider(OAuth2AuthorizationService authorizations,
            RegisteredClientRepository clients, ScopeCatalog scopes, OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator,
            ApplicationEventPublisher events, Clock clock) {
        this.policy = new ExchangePolicy(authorizations, clients, scopes, clock);
        this.authorizations = authorizations;
        this.tokenGenerator = tokenGenerator;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2TokenExchangeAuthenticationToken request = (OAuth2TokenExchangeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                || !clientPrincipal.isAuthenticated() || clientPrincipal.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient client = clientPrincipal.getRegisteredClient();
        try {
            Jwt proof = verifyDPoPProof(request);
            ExchangePolicy.Exchange exchange = policy.decide(request, client, proof == null ? null : thumbprint(proof));
            return issue(request, clientPrincipal, client, exchange, proof);
        } catch (OAuth2AuthenticationException e) {
            refused(client, e);
            throw e;
        }
    }

    private OAuth2AccessTokenAuthenticationToken issue(OAuth2TokenExchangeAuthenticationToken request,
            OAuth2ClientAuthenticationToken clientPrincipal, RegisteredClient client, ExchangePolicy.Exchange exchange,
            Jwt proof) {
        Authentication principal = principal(exchange);
        // the audience decided by the policy travels in the grant the token is shaped from (AccessTokenClaims)
        OAuth2TokenExchangeAuthenticationToken decided = new OAuth2TokenExchangeAuthenticationToken(
                request.getRequestedTokenType(), request.getSubjectToken(), request.getSubjectTokenType(),
                clientPrincipal, request.getActorToken(), request.getActorTokenType(), null, exchange.audiences(),
                exchange.scopes(), request.getAdditionalParameters());
        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(notOutliving(client, exchange))
                .authorization(exchange.subject())
                .principal(principal)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(exchange.scopes())
                .tokenType(OAuth2TokenType.ACCESS_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizationGrant(decided);
        if (proof != null) {
            context.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof);
        }
        OAuth2Token generated = tokenGenerator.generate(context.build());
        if (generated == null) {
            throw ExchangePolicy.error(OAuth2ErrorCodes.SERVER_ERROR, "The token generator failed to generate the access token");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(proof != null ? OAuth2AccessToken.TokenType.DPOP
                : OAuth2AccessToken.TokenType.BEARER, generated.getTokenValue(), generated.getIssuedAt(),
                generated.getExpiresAt(), exchange.scopes());
        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .principalName(exchange.subject().getPrincipalName())
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizedScopes(exchange.scopes())
                .attribute(Principal.class.getName(), principal);
        if (generated instanceof ClaimAccessor claims) {
            authorization.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                    claims.getClaims()));
        } else {
            authorization.accessToken(accessToken);
        }
        authorizations.save(authorization.build());
        auditDetails(exchange, principal);
        Map<String, Object> parameters = new HashMap<>();
        parameters.put(OAuth2ParameterNames.ISSUED_TOKEN_TYPE, TokenExchangeRequestConverter.ACCESS_TOKEN_TYPE);
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, null, parameters);
    }

    /**
     * The subject alone (impersonation), or the subject with the actor first and the subject token's
     * earlier actors after it (delegation), as Spring's provider composes it. An actor is its
     * {@code iss} and {@code sub} only, the claims {@code act} carries (RFC 8693 §4.1).
     */
    private static Authentication principal(ExchangePolicy.Exchange exchange) {
        if (exchange.actor() == null) {
            return exchange.subjectUser();
        }
        Map<String, Object> claims = exchange.actor().getAccessToken().getClaims();
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("iss", claims == null || claims.get("iss") == null ? null : claims.get("iss").toString());
        actor.put("sub", claims == null || claims.get("sub") == null ? null : claims.get("sub").toString());
        List<OAuth2TokenExchangeActor> actors = new ArrayList<>();
        actors.add(new OAuth2TokenExchangeActor(actor));
        if (exchange.subject().getAttribute(Principal.class.getName())
                instanceof OAuth2TokenExchangeCompositeAuthenticationToken earlier) {
            actors.addAll(earlier.getActors());
        }
        return new OAuth2TokenExchangeCompositeAuthenticationToken(exchange.subjectUser(), actors);
    }

    /** The client as the generator sees it: an access token lifetime that ends with the subject's (or actor's). */
    private RegisteredClient notOutliving(RegisteredClient client, ExchangePolicy.Exchange exchange) {
        Duration left = Duration.between(clock.instant(), exchange.notAfter()).minus(ROUNDING);
        if (left.compareTo(Duration.ofSeconds(1)) < 0) {
            throw ExchangePolicy.error(OAuth2ErrorCodes.INVALID_GRANT, "The subject token is about to expire");
        }
        if (left.compareTo(client.getTokenSettings().getAccessTokenTimeToLive()) >= 0) {
            return client;
        }
        return RegisteredClient.from(client).tokenSettings(TokenSettings.withSettings(
                client.getTokenSettings().getSettings()).accessTokenTimeToLive(left).build()).build();
    }

    /** The proof, checked as Spring checks it for its own grants (signature, htm, htu, iat, jti). */
    private static Jwt verifyDPoPProof(OAuth2TokenExchangeAuthenticationToken request) {
        Object proof = request.getAdditionalParameters().get("dpop_proof");
        if (!(proof instanceof String value) || value.isBlank()) {
            return null;
        }
        try {
            DPoPProofContext context = DPoPProofContext.withDPoPProof(value)
                    .method((String) request.getAdditionalParameters().get("dpop_method"))
                    .targetUri((String) request.getAdditionalParameters().get("dpop_target_uri"))
                    .build();
            return DPOP_PROOFS.createDecoder(context).decode(value);
        } catch (RuntimeException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF), e);
        }
    }

    /** The RFC 7638 thumbprint of a verified proof's key, as {@code cnf.jkt} holds it (RFC 9449 §6.1). */
    private static String thumbprint(Jwt proof) {
        try {
            if (proof.getHeaders().get("jwk") instanceof Map<?, ?> jwk) {
                return JWK.parse(new HashMap<String, Object>(castKeys(jwk))).computeThumbprint().toString();
            }
        } catch (java.text.ParseException | JOSEException e) {
            // answered below
        }
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF,
                "The DPoP proof's jwk is unusable", null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castKeys(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** What {@code token.issued} says of an exchange beyond the client and subject ({@link IssuedTokenAudit}). */
    private static void auditDetails(ExchangePolicy.Exchange exchange, Authentication principal) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return;
        }
        Map<String, Object> details = new HashMap<>();
        details.put("subjectClient", exchange.subjectClient());
        details.put("audience", String.join(" ", exchange.audiences()));
        details.put("exchange", exchange.actor() == null ? "impersonation" : "delegation");
        if (principal instanceof OAuth2TokenExchangeCompositeAuthenticationToken composite) {
            details.put("actor", String.join(" ", composite.getActors().stream().map(OAuth2TokenExchangeActor::getSubject)
                    .toList()));
        }
        request.setAttribute(IssuedTokenAudit.DETAILS, details, RequestAttributes.SCOPE_REQUEST);
    }

    private void refused(RegisteredClient client, OAuth2AuthenticationException e) {
        Map<String, Object> details = new HashMap<>();
        details.put("error", e.getError().getErrorCode());
        if (e.getError().getDescription() != null) {
            details.put("reason", e.getError().getDescription());
        }
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.TOKEN_EXCHANGE_REFUSED, client.getClientId(),
                null, null, details));
    }
}
