package dev.ostiary.grant.implicit;

import java.util.List;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** The user has to approve first: the consent page takes over, with the in-flight authorization's state. */
public class ImplicitConsentRequiredToken extends AbstractAuthenticationToken {

    private final String clientId;
    private final String state;
    private final Set<String> scopes;

    public ImplicitConsentRequiredToken(String clientId, String state, Set<String> scopes) {
        super(List.of());
        this.clientId = clientId;
        this.state = state;
        this.scopes = Set.copyOf(scopes);
        setAuthenticated(true);
    }

    @Override
    public Object getPrincipal() {
        return clientId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    public String getClientId() {
        return clientId;
    }

    public String getState() {
        return state;
    }

    public Set<String> getScopes() {
        return scopes;
    }
}
