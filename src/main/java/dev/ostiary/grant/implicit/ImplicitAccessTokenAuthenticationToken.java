package dev.ostiary.grant.implicit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * The outcome of an implicit authorization: the access token to put in the redirect URI's
 * fragment. Never a refresh token (RFC 6749 §4.2.2).
 */
public class ImplicitAccessTokenAuthenticationToken extends AbstractAuthenticationToken {

    private final Authentication principal;
    private final String clientId;
    private final OAuth2AccessToken accessToken;
    private final String redirectUri;
    private final String state;

    public ImplicitAccessTokenAuthenticationToken(Authentication principal, String clientId,
            OAuth2AccessToken accessToken, String redirectUri, String state) {
        super(List.of());
        this.principal = principal;
        this.clientId = clientId;
        this.accessToken = accessToken;
        this.redirectUri = redirectUri;
        this.state = state;
        setAuthenticated(true);
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    public String getClientId() {
        return clientId;
    }

    public OAuth2AccessToken getAccessToken() {
        return accessToken;
    }

    public String getRedirectUri() {
        return redirectUri;
    }

    public String getState() {
        return state;
    }

    public long expiresInSeconds() {
        Instant expiresAt = accessToken.getExpiresAt();
        return expiresAt == null ? 0 : Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
    }
}
