package dev.ostiary.grant.implicit;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * An authorization request with {@code response_type=token}, its client and redirect URI already
 * checked (the redirect URI is the registered one, matched exactly). Deliberately not a subclass of
 * Spring's authorization code request: Spring's pre-login validation applies code-flow rules
 * (authorization_code grant, PKCE) to those.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1">RFC 6749 §4.2.1</a>
 */
public class ImplicitAuthorizationRequestToken extends AbstractAuthenticationToken {

    private final String authorizationUri;
    private final String clientId;
    private final Authentication principal;
    private final String redirectUri;
    private final String state;
    private final Set<String> scopes;
    private final Map<String, Object> additionalParameters;

    public ImplicitAuthorizationRequestToken(String authorizationUri, String clientId, Authentication principal,
            String redirectUri, String state, Set<String> scopes, Map<String, Object> additionalParameters) {
        super(List.of());
        this.authorizationUri = authorizationUri;
        this.clientId = clientId;
        this.principal = principal;
        this.redirectUri = redirectUri;
        this.state = state;
        this.scopes = Set.copyOf(scopes);
        this.additionalParameters = Map.copyOf(additionalParameters);
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    public String getAuthorizationUri() {
        return authorizationUri;
    }

    public String getClientId() {
        return clientId;
    }

    public String getRedirectUri() {
        return redirectUri;
    }

    public String getState() {
        return state;
    }

    public Set<String> getScopes() {
        return scopes;
    }

    public Map<String, Object> getAdditionalParameters() {
        return additionalParameters;
    }
}
