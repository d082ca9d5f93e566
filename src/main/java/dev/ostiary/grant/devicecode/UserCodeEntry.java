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
        Authentication principal = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> additional = new HashMap<>();
        // nothing else the page sends matters to the grant (Spring keeps the rest, unused)
        return new OAuth2DeviceVerificationAuthenticationToken(principal == null ? ANONYMOUS : principal, userCode,
                additional);
    }
}
