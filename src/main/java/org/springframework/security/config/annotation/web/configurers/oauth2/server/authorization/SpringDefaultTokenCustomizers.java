package org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization;

import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Ostiary's one door into Spring Authorization Server's default JWT customizer (which adds
 * {@code cnf} for DPoP and mTLS-bound tokens and the token exchange's {@code act}). Spring composes it
 * only when it builds the token generator itself; Ostiary builds its own (public clients get a
 * refresh token when DPoP binds it), and Spring keeps the customizer package-private (7.1), hence this
 * class in Spring's package. If an upgrade moves or renames it, this fails to compile: look for the
 * public replacement then.
 */
public final class SpringDefaultTokenCustomizers {

    private SpringDefaultTokenCustomizers() {
    }

    /** Spring's own claims of a JWT (cnf, act), as {@code OAuth2ConfigurerUtils.getJwtCustomizer} applies them. */
    public static OAuth2TokenCustomizer<JwtEncodingContext> jwtCustomizer() {
        return DefaultOAuth2TokenCustomizers.jwtCustomizer();
    }
}
