package dev.ostiary.introspection;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

import dev.ostiary.client.OstiaryClientSettings;

/**
 * Who may learn about a token (RFC 7662 §4 leaves it to the server): the client it was issued to,
 * and clients registered as introspectors (resource servers such as {@code demo-api}). Anyone else
 * is told the token is inactive, as if it did not exist, so introspection cannot be used to probe
 * other clients' tokens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-4">RFC 7662 §4</a>
 */
public final class IntrospectionPolicy implements AuthenticationProvider {

    private final AuthenticationProvider delegate;

    public IntrospectionPolicy(AuthenticationProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2TokenIntrospectionAuthenticationToken result = (OAuth2TokenIntrospectionAuthenticationToken) delegate
                .authenticate(authentication);
        if (result == null || !result.getTokenClaims().isActive()
                || !(result.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller)
                || caller.getRegisteredClient() == null) {
            return result;
        }
        boolean allowed = OstiaryClientSettings.introspectionAllowed(caller.getRegisteredClient())
                || caller.getRegisteredClient().getClientId().equals(result.getTokenClaims().getClientId());
        if (allowed) {
            return result;
        }
        return new OAuth2TokenIntrospectionAuthenticationToken(result.getToken(), caller,
                OAuth2TokenIntrospection.builder().build());
    }
}
