package dev.ostiary.grant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * What the authorization endpoint sends back: each registered grant's own {@link AuthorizationResponseMode}
 * first (the implicit grant's fragment), else the code flow's:
 * <ul>
 * <li>a code in the redirect URI's query (RFC 6749 §4.1.2);</li>
 * <li>{@code state} echoed and {@code iss} added to every response, errors included (RFC 9207);</li>
 * <li>errors go back to the client only once its redirect URI has been matched; before that (an
 * unknown client, an unregistered redirect URI) the user sees an error page and nobody is
 * redirected anywhere (RFC 9700 §4.11).</li>
 * <li>a request that needs a stronger or fresher sign-in ({@link SignInRequiredException}: step-up,
 * {@code prompt=login}, {@code max_age}) is saved and the browser sent to the page that does it, which
 * returns to the request.</li>
 * </ul>
 */
public final class AuthorizationEndpointResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /**
     * Request attribute carrying the OAuth error to the error page: named after the type it holds, so
     * that the error page needs no import from here.
     */
    public static final String ERROR_ATTRIBUTE = OAuth2Error.class.getName();

    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final RequestCache savedRequests = new HttpSessionRequestCache();
    private final List<AuthorizationResponseMode> modes;

    AuthorizationEndpointResponses(List<AuthorizationResponseMode> modes) {
        this.modes = List.copyOf(modes);
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        for (AuthorizationResponseMode mode : modes) {
            if (mode.sendSuccess(request, response, authentication)) {
                return;
            }
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken code = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(code.getRedirectUri())
                .queryParam(OAuth2ParameterNames.CODE, encode(code.getAuthorizationCode().getTokenValue()));
        if (code.getState() != null && !code.getState().isEmpty()) {
            uri.queryParam(OAuth2ParameterNames.STATE, encode(code.getState()));
        }
        if (issuer() != null) {
            uri.queryParam("iss", encode(issuer()));
        }
        redirects.sendRedirect(request, response, uri.build(true).toUriString());
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        if (exception instanceof SignInRequiredException signIn) {
            savedRequests.saveRequest(request, response);
            redirects.sendRedirect(request, response, signIn.page());
            return;
        }
        for (AuthorizationResponseMode mode : modes) {
            if (mode.sendFailure(request, response, exception)) {
                return;
            }
        }
        OAuth2Error error = errorOf(exception);
        OAuth2AuthorizationCodeRequestAuthenticationToken requestToken = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                ? e.getAuthorizationCodeRequestAuthentication() : null;
        if (requestToken == null || requestToken.getRedirectUri() == null || requestToken.getRedirectUri().isEmpty()) {
            sendErrorPage(request, response, error);
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(requestToken.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, encode(error.getErrorCode()));
        if (error.getDescription() != null) {
            uri.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
        }
        if (requestToken.getState() != null && !requestToken.getState().isEmpty()) {
            uri.queryParam(OAuth2ParameterNames.STATE, encode(requestToken.getState()));
        }
        if (issuer() != null) {
            uri.queryParam("iss", encode(issuer()));
        }
        redirects.sendRedirect(request, response, uri.build(true).toUriString());
    }

    /** The OAuth error of a failure; {@code server_error} for anything else. */
    public static OAuth2Error errorOf(AuthenticationException exception) {
        return exception instanceof OAuth2AuthenticationException oauth2 ? oauth2.getError()
                : new OAuth2Error("server_error");
    }

    /** The error page, for an error that must not be sent to any redirect URI (RFC 9700 §4.11). */
    public static void sendErrorPage(HttpServletRequest request, HttpServletResponse response, OAuth2Error error)
            throws IOException {
        request.setAttribute(ERROR_ATTRIBUTE, error);
        response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
    }

    /** The issuer to name in {@code iss} (RFC 9207), or null outside a request. */
    public static String issuer() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        return context == null ? null : context.getIssuer();
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }
}
