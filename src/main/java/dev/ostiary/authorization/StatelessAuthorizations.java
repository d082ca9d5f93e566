package dev.ostiary.authorization;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The authorizations of stateless access tokens ({@link StatelessAccessTokens}), which have no row:
 * one is made up from the verified token when it is looked up, and saving it with its token
 * invalidated (RFC 7009 revocation) lists its {@code jti} in {@link RevokedAccessTokens}.
 */
public final class StatelessAuthorizations {

    /**
     * The request attribute holding the {@link Revoked} token when this request's revocation listed
     * a stateless token, for the revocation endpoint to put into its one {@code token.revoked}
     * event (with the client, source address and hint only the endpoint knows).
     */
    public static final String REVOKED = StatelessAuthorizations.class.getName() + ".REVOKED";

    /**
     * A stateless access token this request revoked.
     *
     * @param jti the token's id, as listed in {@link RevokedAccessTokens}
     * @param owner the resource owner the token was issued to (its {@code sub})
     */
    public record Revoked(String jti, String owner) {
    }

    private static final String ID_PREFIX = "stateless:";

    private final RegisteredClientRepository clients;
    private final RevokedAccessTokens revokedTokens;
    private final Clock clock;

    StatelessAuthorizations(RegisteredClientRepository clients, RevokedAccessTokens revokedTokens, Clock clock) {
        this.clients = clients;
        this.revokedTokens = revokedTokens;
        this.clock = clock;
    }

    /** An id this class made up: nothing is stored under it. */
    static boolean isMadeUp(String authorizationId) {
        return authorizationId.startsWith(ID_PREFIX);
    }

    /** Holding a stateless access token and nothing else (no code, no refresh token). */
    static boolean isStateless(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        return access != null
                && StatelessAccessTokens.isStateless(jtiOf(access))
                && authorization.getRefreshToken() == null
                && authorization.getToken(OAuth2AuthorizationCode.class) == null;
    }

    /** The authorization of a verified stateless token; null once revoked or its client gone. */
    OAuth2Authorization authorizationOf(Jwt jwt) {
        if (revokedTokens.isRevoked(jwt.getId())) {
            return null;
        }
        String clientId = jwt.getClaimAsString("client_id");
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (client == null) {
            return null;
        }
        Set<String> scopes = scopesOf(jwt);
        OAuth2AccessToken.TokenType type = jwt.getClaims().containsKey("cnf")
                ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
        OAuth2AccessToken accessToken = new OAuth2AccessToken(type, jwt.getTokenValue(), jwt.getIssuedAt(),
                jwt.getExpiresAt(), scopes);
        return OAuth2Authorization.withRegisteredClient(client)
                .id(ID_PREFIX + jwt.getId())
                .principalName(jwt.getSubject())
                .authorizationGrantType(StatelessAccessTokens.grantOrGuess(jwt.getId(), jwt.getSubject(), clientId)
                        .orElseThrow())
                .authorizedScopes(scopes)
                .token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        jwt.getClaims()))
                .build();
    }

    /**
     * Saves a stateless authorization: nothing to store, unless its token was revoked, which lists
     * its jti until it expires. The revocation endpoint audits it; this only hands it the token's
     * jti and owner ({@link #REVOKED}), so that one event has everything.
     */
    void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (!access.isInvalidated()) {
            return;
        }
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        String clientId = client == null ? authorization.getRegisteredClientId() : client.getClientId();
        Instant expiresAt = access.getToken().getExpiresAt() != null ? access.getToken().getExpiresAt()
                : clock.instant().plus(1, ChronoUnit.DAYS);
        String jti = jtiOf(access);
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (revokedTokens.revoke(jti, clientId, expiresAt) && request != null) {
            request.setAttribute(REVOKED, new Revoked(jti, authorization.getPrincipalName()),
                    RequestAttributes.SCOPE_REQUEST);
        }
    }

    private static String jtiOf(OAuth2Authorization.Token<OAuth2AccessToken> token) {
        Map<String, Object> claims = token.getClaims();
        if (claims != null && claims.get("jti") != null) {
            return claims.get("jti").toString();
        }
        return UnverifiedJwt.jti(token.getToken().getTokenValue());
    }

    private static Set<String> scopesOf(Jwt jwt) {
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String s) {
            return new LinkedHashSet<>(Arrays.asList(s.split(" ")));
        }
        if (scope instanceof Collection<?> c) {
            return new LinkedHashSet<>(c.stream().map(Object::toString).toList());
        }
        return Set.of();
    }
}
