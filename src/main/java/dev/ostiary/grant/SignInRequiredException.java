package dev.ostiary.grant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * An authorization request that needs a stronger or fresher sign-in first: the endpoint's answer
 * ({@link AuthorizationEndpointResponses}) saves the request in the session (Spring's
 * {@code HttpSessionRequestCache}, the same one the login and second-factor pages return to) and sends
 * the browser to {@link #page()}, instead of sending an error to the client.
 */
public final class SignInRequiredException extends OAuth2AuthorizationCodeRequestAuthenticationException {

    private final String page;

    /** @param page where the browser goes, a path of this server such as {@code /login?reauth} */
    public SignInRequiredException(OAuth2Error error, OAuth2AuthorizationCodeRequestAuthenticationToken request,
            String page) {
        super(error, request);
        this.page = page;
    }

    public String page() {
        return page;
    }
}
