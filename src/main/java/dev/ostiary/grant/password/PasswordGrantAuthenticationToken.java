package dev.ostiary.grant.password;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * A token request with {@code grant_type=password}: the client (already authenticated) and the
 * resource owner's credentials, which the provider checks and then erases.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3.2">RFC 6749 §4.3.2</a>
 */
public class PasswordGrantAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

    private final String username;
    private String password;
    private final Set<String> scopes;

    public PasswordGrantAuthenticationToken(String username, String password, Authentication clientPrincipal,
            Set<String> scopes, Map<String, Object> additionalParameters) {
        super(OstiaryGrantTypes.PASSWORD, clientPrincipal, additionalParameters);
        this.username = username;
        this.password = password;
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }

    public String getUsername() {
        return username;
    }

    public String getPassword() {
        return password;
    }

    /** The requested scopes; empty when the request named none. */
    public Set<String> getScopes() {
        return scopes;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        password = null;
    }
}
