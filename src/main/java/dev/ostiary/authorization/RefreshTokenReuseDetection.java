package dev.ostiary.authorization;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Runs ahead of Spring's refresh_token provider. Refresh tokens rotate on every use; presenting one
 * that was already replaced means two parties hold the family, so every token in it is revoked and
 * the request fails with {@code invalid_grant}. Otherwise returns null and Spring's provider goes on.
 * Only the client the family was issued to revokes it. This catches a reuse that comes after the
 * rotation; one that races with it is caught by the rotation itself, a compare-and-swap in
 * {@link PostgresAuthorizationService#save}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2</a>
 */
public final class RefreshTokenReuseDetection implements AuthenticationProvider {

    private final PostgresAuthorizationService authorizations;

    public RefreshTokenReuseDetection(PostgresAuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2RefreshTokenAuthenticationToken refresh = (OAuth2RefreshTokenAuthenticationToken) authentication;
        // only an authenticated client can revoke, and only its own families (issue 13, L3)
        RegisteredClient client = refresh.getPrincipal() instanceof OAuth2ClientAuthenticationToken principal
                && principal.isAuthenticated() ? principal.getRegisteredClient() : null;
        if (client != null && authorizations.revokeFamilyIfRotated(refresh.getRefreshToken(), client)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The refresh token was already used; every token issued with it has been revoked", null));
        }
        return null;
    }
}
