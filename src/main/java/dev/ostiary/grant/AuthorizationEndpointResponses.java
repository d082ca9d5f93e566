package dev.ostiary.grant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.ostiary.grant.implicit.ImplicitAccessTokenAuthenticationToken;
import dev.ostiary.grant.implicit.ImplicitAuthorizationException;
import dev.ostiary.grant.implicit.ImplicitAuthorizationRequestConverter;
import dev.ostiary.grant.implicit.ImplicitConsentRequiredToken;

/**
 * What the authorization endpoint sends back, for the code flow and the implicit flow alike:
 * <ul>
 * <li>a code in the redirect URI's query, a token in its fragment (RFC 6749 §4.1.2, §4.2.2);</li>
 * <li>{@code state} echoed and {@code iss} added to every response, errors included (RFC 9207);</li>
 * <li>errors go back to the client only once its redirect URI has been matched; before that (an
 * unknown client, an unregistered redirect URI) the user sees an error page and nobody is
 * redirected anywhere (RFC 9700 §4.11).</li>
 * </ul>
 */
public final class AuthorizationEndpointResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /** Request attribute carrying the OAuth error to the error page. */
    public static final String ERROR_ATTRIBUTE = "ostiary.authorization.error";

    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final String consentPage;

    public AuthorizationEndpointResponses(String consentPage) {
        this.consentPage = consentPage;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        if (authentication instanceof ImplicitConsentRequiredToken consent) {
            redirects.sendRedirect(request, response, UriComponentsBuilder.fromPath(consentPage)
                    .queryParam(OAuth2ParameterNames.SCOPE, String.join(" ", consent.getScopes()))
                    .queryParam(OAuth2ParameterNames.CLIENT_ID, consent.getClientId())
                    .queryParam(OAuth2ParameterNames.STATE, consent.getState())
                    .encode().build().toUriString());
            return;
        }
        if (authentication instanceof ImplicitAccessTokenAuthenticationToken implicit) {
            StringBuilder fragment = new StringBuilder();
            append(fragment, OAuth2ParameterNames.ACCESS_TOKEN, implicit.getAccessToken().getTokenValue());
            append(fragment, OAuth2ParameterNames.TOKEN_TYPE, implicit.getAccessToken().getTokenType().getValue());
            append(fragment, OAuth2ParameterNames.EXPIRES_IN, String.valueOf(implicit.expiresInSeconds()));
            append(fragment, OAuth2ParameterNames.SCOPE, String.join(" ", implicit.getAccessToken().getScopes()));
            append(fragment, OAuth2ParameterNames.STATE, implicit.getState());
            append(fragment, "iss", issuer());
            redirects.sendRedirect(request, response, withFragment(implicit.getRedirectUri(), fragment));
            return;
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
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth2 ? oauth2.getError()
                : new OAuth2Error("server_error");
        if (exception instanceof ImplicitAuthorizationException implicit) {
            if (implicit.getRedirectUri() == null) {
                request.setAttribute(ERROR_ATTRIBUTE, error);
                response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
                return;
            }
            redirectWithFragment(request, response, implicit.getRedirectUri(), error, implicit.getState());
            return;
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken requestToken = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                ? e.getAuthorizationCodeRequestAuthentication() : null;
        if (requestToken == null || requestToken.getRedirectUri() == null || requestToken.getRedirectUri().isEmpty()) {
            request.setAttribute(ERROR_ATTRIBUTE, error);
            response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
            return;
        }
        if (ImplicitAuthorizationRequestConverter.isImplicitRequest(request)) {
            // Spring's own validation failed an implicit request: still a fragment response
            redirectWithFragment(request, response, requestToken.getRedirectUri(), error, requestToken.getState());
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

    private void redirectWithFragment(HttpServletRequest request, HttpServletResponse response, String redirectUri,
            OAuth2Error error, String state) throws IOException {
        StringBuilder fragment = new StringBuilder();
        append(fragment, OAuth2ParameterNames.ERROR, error.getErrorCode());
        append(fragment, OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
        append(fragment, OAuth2ParameterNames.STATE, state);
        append(fragment, "iss", issuer());
        redirects.sendRedirect(request, response, withFragment(redirectUri, fragment));
    }

    private static String issuer() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        return context == null ? null : context.getIssuer();
    }

    private static void append(StringBuilder fragment, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (fragment.length() > 0) {
            fragment.append('&');
        }
        fragment.append(name).append('=').append(encode(value));
    }

    private static String withFragment(String redirectUri, StringBuilder fragment) {
        int existing = redirectUri.indexOf('#');
        String base = existing < 0 ? redirectUri : redirectUri.substring(0, existing);
        return base + "#" + fragment;
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }
}
