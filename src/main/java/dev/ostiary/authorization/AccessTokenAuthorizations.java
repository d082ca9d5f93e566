package dev.ostiary.authorization;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/** What our own APIs need of the store ({@link ActiveAccessTokens}): the authorization behind a token. */
public interface AccessTokenAuthorizations {

    /**
     * The authorization of an access token already verified against our published keys, or null
     * when it has none any more (revoked, its client gone).
     */
    OAuth2Authorization findByVerifiedAccessToken(Jwt jwt);

    /**
     * Whether the store still holds an access token, already verified against our published keys, as
     * active: not revoked, its authorization not gone. Its lifetime is the caller's to check. The same
     * answer as {@link #findByVerifiedAccessToken} and the token's invalidation, which is what this
     * default does; the PostgreSQL store reads one column instead of the whole authorization.
     */
    default boolean isActive(Jwt jwt) {
        OAuth2Authorization authorization = findByVerifiedAccessToken(jwt);
        OAuth2Authorization.Token<?> token = authorization == null ? null : authorization.getToken(jwt.getTokenValue());
        return token != null && !token.isInvalidated();
    }
}
