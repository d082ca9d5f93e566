package dev.ostiary.grant.implicit;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * An implicit request that fails. With a redirect URI (already matched) the error goes back in its
 * fragment (RFC 6749 §4.2.2.1); without one the user sees an error page and nobody is redirected.
 */
public class ImplicitAuthorizationException extends OAuth2AuthenticationException {

    private final String redirectUri;
    private final String state;

    public ImplicitAuthorizationException(String errorCode, String description, String redirectUri, String state) {
        super(new OAuth2Error(errorCode, description, "https://datatracker.ietf.org/doc/html/rfc6749#section-4.2.2.1"));
        this.redirectUri = redirectUri;
        this.state = state;
    }

    public String getRedirectUri() {
        return redirectUri;
    }

    public String getState() {
        return state;
    }
}
