package dev.ostiary.client;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Spring's client authentication converters assert on what they parse (an HTTP Basic header with
 * an empty client id trips one) and the assertion surfaces as a 500. Found by the fuzz test. This
 * turns such input into the {@code invalid_request} it is.
 */
public final class MalformedClientAuthentication implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public MalformedClientAuthentication(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        try {
            return delegate.convert(request);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "Malformed client authentication", null));
        }
    }
}
