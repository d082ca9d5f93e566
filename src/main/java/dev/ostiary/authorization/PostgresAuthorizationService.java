package dev.ostiary.authorization;

import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Authorization Server's authorization store on PostgreSQL, shaped for the token endpoint's
 * hot path. This class only routes; each rule lives in the collaborator named here:
 * <ul>
 * <li>token values are stored as SHA-256 digests ({@link TokenDigest}), each looked up through its
 * own unique index ({@link AuthorizationTable}, mapped by {@link AuthorizationRows});</li>
 * <li>access tokens without a grant worth remembering (client_credentials, implicit) get no row at
 * all: they are verified by signature, and revoking one lists its {@code jti} until it expires
 * ({@link StatelessAuthorizations}, {@link RevokedAccessTokens});</li>
 * <li>a refresh token replaced by rotation is remembered, so that presenting it again revokes the
 * whole family (RFC 9700 §4.14.2, {@link RefreshTokenFamilies});</li>
 * <li>single use is decided by PostgreSQL: the save that consumes an authorization code or rotates
 * a refresh token is a compare-and-swap ({@link SingleUseConsumption}; RFC 6749 §4.1.2), and so are
 * the device flow's device code and the user's answer to its user code (RFC 8628 §3.3, §3.5);</li>
 * <li>nothing a client sends is read as a stored digest: lookups always hash their input
 * ({@link TokenDigest#of}), and every JWT access token must also verify against the published
 * keys, so emergency key revocation makes row-backed tokens inactive too.</li>
 * </ul>
 */
public class PostgresAuthorizationService implements OAuth2AuthorizationService, AccessTokenAuthorizations {

    /** Longer than any token we issue: a longer value is refused before it is hashed or parsed. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final AuthorizationTable table;
    private final SingleUseConsumption singleUse;
    private final StatelessAuthorizations stateless;
    private final JwtDecoder ownTokens;

    PostgresAuthorizationService(AuthorizationTable table, SingleUseConsumption singleUse,
            StatelessAuthorizations stateless, JwtDecoder ownTokens) {
        this.table = table;
        this.singleUse = singleUse;
        this.stateless = stateless;
        this.ownTokens = ownTokens;
    }

    /**
     * Not transactional as a whole on purpose: a client_credentials token saves nothing, and must not
     * even borrow a database connection (it keeps working while the database is down).
     */
    @Override
    public void save(OAuth2Authorization authorization) {
        if (StatelessAuthorizations.isStateless(authorization)) {
            stateless.save(authorization);
            return;
        }
        Lookup lookup = authorization.getAttribute(Lookup.ATTRIBUTE);
        if (lookup == null) {
            table.insertOrReplace(authorization);
        } else if (lookup.isConsumedBy(authorization)) {
            singleUse.consume(authorization, lookup);
        } else if (lookup.closesUserCode(authorization)) {
            singleUse.closeUserCode(authorization);
        } else {
            table.update(authorization);
        }
    }

    @Override
    @Transactional
    public void remove(OAuth2Authorization authorization) {
        if (StatelessAuthorizations.isMadeUp(authorization.getId())) {
            return;
        }
        table.delete(authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        if (id == null || StatelessAuthorizations.isMadeUp(id)) {
            return null;
        }
        return table.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        if (tokenType == null) {
            if (UnverifiedJwt.looksLikeJwt(token)) {
                return findByAccessToken(token);
            }
            OAuth2Authorization byRefresh = table.findByDigest(AuthorizationColumns.REFRESH_TOKEN_HASH, token);
            return byRefresh != null ? byRefresh : table.findByDigest(AuthorizationColumns.CODE_HASH, token);
        }
        return switch (tokenType.getValue()) {
            case OAuth2ParameterNames.STATE -> table.findByDigest(AuthorizationColumns.STATE_HASH, token);
            case OAuth2ParameterNames.CODE -> table.findByDigest(AuthorizationColumns.CODE_HASH, token);
            case OAuth2ParameterNames.ACCESS_TOKEN -> findByAccessToken(token);
            case OAuth2ParameterNames.REFRESH_TOKEN -> table.findByDigest(AuthorizationColumns.REFRESH_TOKEN_HASH, token);
            case OidcParameterNames.ID_TOKEN -> table.findByDigest(AuthorizationColumns.ID_TOKEN_HASH, token);
            case OAuth2ParameterNames.DEVICE_CODE -> table.findByDigest(AuthorizationColumns.DEVICE_CODE_HASH, token);
            case OAuth2ParameterNames.USER_CODE -> table.findByDigest(AuthorizationColumns.USER_CODE_HASH, token);
            default -> null;
        };
    }

    /**
     * Every JWT access token must verify against the published keys (signature, type, lifetime)
     * before anything else: a token whose key was revoked in an emergency is inactive at once,
     * whether or not it has a row.
     */
    private OAuth2Authorization findByAccessToken(String token) {
        Jwt jwt;
        try {
            jwt = ownTokens.decode(token);
        } catch (JwtException e) {
            return null;
        }
        return findByVerifiedAccessToken(jwt);
    }

    /** An access token already verified by {@code ownTokens} (or the admin API's decoder). */
    @Override
    public OAuth2Authorization findByVerifiedAccessToken(Jwt jwt) {
        if (StatelessAccessTokens.isStateless(jwt.getId())) {
            return stateless.authorizationOf(jwt);
        }
        return table.findByDigest(AuthorizationColumns.ACCESS_TOKEN_HASH, jwt.getTokenValue());
    }

    /**
     * A stateless token from memory (the revocation list, the cached client); a row-backed one by one
     * indexed read of one column (the nginx gateway check's hot path: reading and mapping the whole
     * authorization, its JSON attributes included, halved its throughput: docs/gateway.md).
     */
    @Override
    public boolean isActive(Jwt jwt) {
        if (StatelessAccessTokens.isStateless(jwt.getId())) {
            return stateless.authorizationOf(jwt) != null;
        }
        return table.accessTokenActive(jwt.getTokenValue());
    }
}
