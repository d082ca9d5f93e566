package dev.ostiary.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * The client id a request to a client endpoint claims, before anyone checked it: the user name of
 * HTTP Basic (form-url-decoded, RFC 6749 §2.3.1), else the one {@code client_id} parameter. Only
 * for picking a counter or naming the client in the audit trail; never for a decision about what
 * the client may do, and never the secret.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
public final class ClaimedClientId {

    private ClaimedClientId() {
    }

    /**
     * The claimed id: the Basic one when the request uses Basic, else the form's. Null when there is
     * none, the Basic credentials are malformed, or {@code client_id} is repeated.
     */
    public static String from(HttpServletRequest request) {
        if (usedBasic(request)) {
            return fromBasic(request);
        }
        String[] ids = request.getParameterValues("client_id");
        return ids != null && ids.length == 1 ? ids[0] : null;
    }

    /**
     * The user name of the HTTP Basic credentials, form-url-decoded; null without Basic, or when the
     * credentials are not base64 of {@code id ":" secret} (RFC 7617 §2) or do not url-decode.
     */
    public static String fromBasic(HttpServletRequest request) {
        if (!usedBasic(request)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(
                    request.getHeader(HttpHeaders.AUTHORIZATION).substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the request tried HTTP Basic client authentication (RFC 7617; the scheme is case-insensitive). */
    public static boolean usedBasic(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }
}
