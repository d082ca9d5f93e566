package dev.ostiary.grant;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * How a grant other than the code flow answers at the authorization endpoint (the implicit grant:
 * in the redirect URI's fragment, RFC 6749 §4.2.2). {@link AuthorizationEndpointResponses} asks each
 * registered one before answering as the code flow does.
 */
public interface AuthorizationResponseMode {

    /** Sends the response for this outcome and returns true, or returns false when it is not this grant's. */
    boolean sendSuccess(HttpServletRequest request, HttpServletResponse response, Authentication outcome)
            throws IOException;

    /**
     * Sends the error for this failure and returns true, or returns false when it is not this grant's.
     * Called only once the error may go back to a client at all: see {@link AuthorizationEndpointResponses}.
     */
    boolean sendFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException;
}
