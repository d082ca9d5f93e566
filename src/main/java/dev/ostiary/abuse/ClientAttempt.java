package dev.ostiary.abuse;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * The place a request holds among its source's attempts while its client credential is checked
 * (see {@link SourceGuard#tryClientAttempt}). It is taken before client authentication and ended
 * exactly once: as a failure by the failure handler, or given back as soon as the client is
 * authenticated, or at the end of the request whatever happened in between.
 */
public final class ClientAttempt {

    private static final String HELD = ClientAttempt.class.getName() + ".HELD";

    private ClientAttempt() {
    }

    /**
     * Whether the request carries something to check: a secret (HTTP Basic or {@code client_secret},
     * RFC 6749 §2.3.1) or a client assertion (RFC 7523 §2.2). A public client's bare
     * {@code client_id} has nothing to guess and takes no place.
     */
    static boolean presentsCredential(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6))
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null;
    }

    static void hold(HttpServletRequest request, String address) {
        request.setAttribute(HELD, address);
    }

    /** The source address whose place the request holds, if it still holds one; it no longer does after. */
    static String take(HttpServletRequest request) {
        Object address = request.getAttribute(HELD);
        request.removeAttribute(HELD);
        return address instanceof String held ? held : null;
    }
}
