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
}
