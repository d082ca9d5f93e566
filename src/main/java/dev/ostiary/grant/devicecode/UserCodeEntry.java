package dev.ostiary.grant.devicecode;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the user code a person entered at the verification endpoint (RFC 8628 §3.3) in place of
 * Spring's converter: one {@code user_code}, normalized by {@link UserCodes#normalize} (case, dashes
 * and spaces ignored), and refused as {@code invalid_request} before any lookup when it cannot be a
 * code. The consent answer (with {@code state}) is left to Spring's converter.
 */
final class UserCodeEntry implements AuthenticationConverter {

    private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("anonymous", "anonymousUser",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    /** The error that sends an entry another site made back to the code page (not an OAuth error code). */
    static final String CONFIRM_ON_OUR_PAGE = "ostiary_confirm_user_code";

    /**
     * Fetch Metadata (W3C): browsers say whether a request was started by another site. Without the
     * header (an older browser) the entry counts as before; the user's own typing on our page, and
     * the redirect back after signing in, are {@code same-origin}.
     */
    static boolean sentByAnotherSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return "cross-site".equals(site) || "same-site".equals(site);
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!("GET".equals(request.getMethod()) || "POST".equals(request.getMethod()))
                || request.getParameter(OAuth2ParameterNames.STATE) != null) {
            return null;
        }
        String[] typed = request.getParameterValues(OAuth2ParameterNames.USER_CODE);
        if (typed == null) {
            return null;
        }
        String userCode = typed.length == 1 ? UserCodes.normalize(typed[0]).orElse(null) : null;
        if (userCode == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: " + OAuth2ParameterNames.USER_CODE, null));
        }
        if (sentByAnotherSite(request)) {
            // a code entry is a GET (it survives the login redirect), so another site could make a signed-in
            // user's browser "enter" wrong codes and lock the user out (attacker trial): such an entry is
            // only shown on the code page, prefilled, for the user to confirm
            throw new OAuth2AuthenticationException(new OAuth2Error(CONFIRM_ON_OUR_PAGE, null, null));
        }
        Authentication principal = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> additional = new HashMap<>();
        // nothing else the page sends matters to the grant (Spring keeps the rest, unused)
        return new OAuth2DeviceVerificationAuthenticationToken(principal == null ? ANONYMOUS : principal, userCode,
                additional);
    }
}
