package dev.ostiary.authorization;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * Verifies our own access tokens for our own APIs: signature and lifetime, and then that the token
 * was not revoked (its family revoked, its consent withdrawn, its jti revoked). A resource server
 * elsewhere can only check the first part; here we can check everything.
 */
public final class ActiveAccessTokens implements JwtDecoder {

    private final JwtDecoder signatures;
    private final PostgresAuthorizationService authorizations;

    public ActiveAccessTokens(JwtDecoder signatures, PostgresAuthorizationService authorizations) {
        this.signatures = signatures;
        this.authorizations = authorizations;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = signatures.decode(token);
        OAuth2Authorization authorization = authorizations.findByVerifiedAccessToken(jwt);
        OAuth2Authorization.Token<?> accessToken = authorization == null ? null : authorization.getToken(token);
        if (accessToken == null || !accessToken.isActive()) {
            throw new BadJwtException("The access token was revoked");
        }
        return jwt;
    }
}
