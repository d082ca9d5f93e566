package dev.ostiary.token;

import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.SpringDefaultTokenCustomizers;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Every token Ostiary issues: JWT access and ID tokens shaped first by Spring Authorization Server's
 * default customizer ({@code cnf}, {@code act}), then by ours ({@link AccessTokenClaims}), in the order
 * Spring composes them when it builds the generator itself; and refresh tokens that public clients get
 * only when DPoP binds them ({@link BoundRefreshTokens}), which Spring's generator never gives them.
 */
public final class OstiaryTokenGenerator {

    private OstiaryTokenGenerator() {
    }

    public static OAuth2TokenGenerator<OAuth2Token> create(JwtEncoder jwtEncoder,
            OAuth2TokenCustomizer<JwtEncodingContext> claims) {
        OAuth2TokenCustomizer<JwtEncodingContext> spring = SpringDefaultTokenCustomizers.jwtCustomizer();
        JwtGenerator jwts = new JwtGenerator(jwtEncoder);
        jwts.setJwtCustomizer(context -> {
            spring.customize(context);
            claims.customize(context);
        });
        return new DelegatingOAuth2TokenGenerator(jwts, new BoundRefreshTokens());
    }
}
