package dev.ostiary.grant.devicecode;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * How the device verification endpoint answers the browser: the pages of {@link ActivationController}
 * instead of Spring's {@code /?success} redirect and bare 400. Every redirect goes to a fixed page of
 * ours; only the approved client's id travels, to name it on the success page.
 */
final class DeviceVerificationResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        String clientId = authentication instanceof OAuth2DeviceVerificationAuthenticationToken verified
                ? verified.getClientId() : null;
        redirects.sendRedirect(request, response, UriComponentsBuilder.fromPath(DeviceCodeGrant.ACTIVATION_PAGE + "/done")
                .queryParamIfPresent("client_id", java.util.Optional.ofNullable(clientId)).encode().build().toUriString());
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : null;
        if (UserCodeEntry.CONFIRM_ON_OUR_PAGE.equals(code)) {
            String typed = UserCodes.normalize(request.getParameter("user_code")).orElse("");
            redirects.sendRedirect(request, response, UriComponentsBuilder.fromPath(DeviceCodeGrant.ACTIVATION_PAGE)
                    .queryParam("user_code", typed).encode().build().toUriString());
            return;
        }
        String page = switch (code == null ? "" : code) {
            case OAuth2ErrorCodes.ACCESS_DENIED -> DeviceCodeGrant.ACTIVATION_PAGE + "/denied";
            case UserCodeGuessing.LOCKED -> DeviceCodeGrant.ACTIVATION_PAGE + "?error=locked";
            case OAuth2ErrorCodes.INVALID_REQUEST -> DeviceCodeGrant.ACTIVATION_PAGE + "?error=malformed";
            default -> DeviceCodeGrant.ACTIVATION_PAGE + "?error=invalid";
        };
        redirects.sendRedirect(request, response, page);
    }
}
