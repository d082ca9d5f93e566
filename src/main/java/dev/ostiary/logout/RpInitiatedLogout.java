package dev.ostiary.logout;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OidcLogoutEndpointConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Spring Authorization Server's RP-initiated logout endpoint ({@code end_session_endpoint},
 * {@code /connect/logout}, GET and POST), configured deliberately:
 * <ul>
 * <li>its request checks: {@link VerifiedLogoutRequests};</li>
 * <li>a verified request ends the session ({@link SessionLogout}) and goes to the validated
 * {@code post_logout_redirect_uri} with {@code state}, or to our signed-out page;</li>
 * <li>an unproven one, with a signed-in user, goes to the confirmation page (a CSRF-protected POST,
 * {@link LogoutPages}); without one there is nothing to end: the signed-out page;</li>
 * <li>any other error is the error page, status 400, never a redirect (§4).</li>
 * </ul>
 */
public class RpInitiatedLogout {

    /** Request attribute the error page reads the OAuth error from (as the authorization endpoint's). */
    private static final String ERROR_ATTRIBUTE = OAuth2Error.class.getName();

    private final SessionLogout sessionLogout;
    private final JwtDecoder idTokenSignatures;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    public RpInitiatedLogout(SessionLogout sessionLogout, JwtDecoder idTokenSignatures) {
        this.sessionLogout = sessionLogout;
        this.idTokenSignatures = idTokenSignatures;
    }

    /** For {@code oidc.logoutEndpoint(...)}. */
    public void configure(OidcLogoutEndpointConfigurer endpoint) {
        endpoint.logoutRequestConverters(converters -> converters.replaceAll(VerifiedLogoutRequests::converter))
                .authenticationProviders(providers -> providers.replaceAll(
                        provider -> VerifiedLogoutRequests.provider(provider, idTokenSignatures)))
                .logoutResponseHandler(this::loggedOut)
                .errorResponseHandler(this::refused);
    }

    private void loggedOut(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
        if (logout.isPrincipalAuthenticated()) {
            sessionLogout.logout(request, response, (Authentication) logout.getPrincipal(),
                    SessionLogout.Via.RP_INITIATED, logout.getIdToken() == null ? null
                            : logout.getIdToken().getAudience().stream().findFirst().orElse(null));
        }
        // Spring's validator matched post_logout_redirect_uri exactly against the client's list
        String target = logout.getPostLogoutRedirectUri() == null ? PostLogoutRedirects.SIGNED_OUT_PAGE
                : PostLogoutRedirects.withState(logout.getPostLogoutRedirectUri(), logout.getState());
        redirects.sendRedirect(request, response, target);
    }

    private void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        if (exception instanceof LogoutConfirmationRequired) {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            if (user == null || user instanceof AnonymousAuthenticationToken || !user.isAuthenticated()) {
                redirects.sendRedirect(request, response, PostLogoutRedirects.SIGNED_OUT_PAGE);
                return;
            }
            UriComponentsBuilder confirm = UriComponentsBuilder.fromPath(LogoutPages.CONFIRM_PAGE);
            Map<String, String> values = new HashMap<>();
            for (String parameter : LogoutPages.PASSED_ON) {
                String value = request.getParameter(parameter);
                if (value != null && !value.isEmpty() && value.length() <= LogoutPages.MAX_PARAMETER_LENGTH) {
                    confirm.queryParam(parameter, "{" + parameter + "}");
                    values.put(parameter, value);
                }
            }
            redirects.sendRedirect(request, response, confirm.encode().buildAndExpand(values).toUriString());
            return;
        }
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error("invalid_request");
        request.setAttribute(ERROR_ATTRIBUTE, error);
        response.sendError(HttpServletResponse.SC_BAD_REQUEST);
    }
}
