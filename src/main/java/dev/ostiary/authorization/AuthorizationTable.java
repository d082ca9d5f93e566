package dev.ostiary.authorization;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * The authorization rows: written, read by id or by the digest of a presented value, deleted. Each
 * write is one statement, so atomic without a transaction (which would cost a round trip and a JPA
 * session per token).
 */
class AuthorizationTable {

    private final JdbcClient jdbc;
    private final AuthorizationRows rows;
    private final Clock clock;

    AuthorizationTable(JdbcClient jdbc, AuthorizationRows rows, Clock clock) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.clock = clock;
    }

    /**
     * Inserts a new authorization, or overwrites one saved before under its id. Both parts of the
     * statement see the row as it was: the refresh token being replaced goes to the rotated list, for
     * reuse detection, while the new one is written.
     */
    void insertOrReplace(OAuth2Authorization authorization) {
        Map<String, Object> row = rows.columnsOf(authorization, clock.instant());
        List<Object> params = rotationParams(authorization);
        params.addAll(AuthorizationColumns.values(row, AuthorizationColumns.ALL));
        jdbc.sql(PostgresRefreshTokenFamilies.RECORD_REPLACED + AuthorizationColumns.UPSERT).params(params).update();
    }

    /**
     * Saves an authorization that was read from the database and uses up nothing (a consent
     * answered, a token revoked): an update only, so an authorization revoked (deleted) meanwhile is
     * not brought back to life by a request that read it before.
     */
    void update(OAuth2Authorization authorization) {
        Map<String, Object> row = rows.columnsOf(authorization, clock.instant());
        List<Object> params = rotationParams(authorization);
        params.addAll(AuthorizationColumns.values(row, AuthorizationColumns.UPDATABLE));
        params.add(authorization.getId());
        jdbc.sql(PostgresRefreshTokenFamilies.RECORD_REPLACED
                + "update oauth2_authorization set " + AuthorizationColumns.SET + " where id = ?")
                .params(params)
                .update();
    }

    /** The parameters of {@link PostgresRefreshTokenFamilies#RECORD_REPLACED}. */
    private static List<Object> rotationParams(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        List<Object> params = new ArrayList<>();
        params.add(authorization.getId());
        params.add(refresh == null ? null : TokenDigest.ofStored(refresh.getToken().getTokenValue()));
        return params;
    }

    void delete(String id) {
        jdbc.sql("delete from oauth2_authorization where id = ?").param(id).update();
    }

    OAuth2Authorization findById(String id) {
        return jdbc.sql("select * from oauth2_authorization where id = ?").param(id)
                .query((rs, n) -> rows.authorizationOf(AuthorizationColumns.read(rs), FoundBy.NOTHING))
                .optional().orElse(null);
    }

    /** Client input is hashed, never decoded: a digest copied from the database is not a token. */
    OAuth2Authorization findByDigest(String column, String token) {
        FoundBy foundBy = FoundBy.digestOf(column, token);
        return jdbc.sql("select * from oauth2_authorization where " + column + " = ?").param(foundBy.digest())
                .query((rs, n) -> rows.authorizationOf(AuthorizationColumns.read(rs), foundBy))
                .optional().orElse(null);
    }

    /** Whether a row holds this access token, not invalidated: one column through its unique index. */
    boolean accessTokenActive(String token) {
        return jdbc.sql("select not access_token_invalidated from oauth2_authorization where "
                + AuthorizationColumns.ACCESS_TOKEN_HASH + " = ?")
                .param(TokenDigest.of(token)).query(Boolean.class).optional().orElse(false);
    }
}
