package dev.ostiary.grant.implicit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.ostiary.grant.AuthorizationEndpointResponses;
import dev.ostiary.grant.AuthorizationResponseMode;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.token.IssuedTokenAudit;

/**
 * The implicit grant's answers at the authorization endpoint: the consent page when the user has to
 * approve first; the access token in the redirect URI's fragment (RFC 6749 §4.2.2), audited as
 * {@code token.issued}; errors in the fragment too (§4.2.2.1), once the redirect URI is known good.
 */
final class ImplicitAuthorizationResponses implements AuthorizationResponseMode {

    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final String consentPage;
    private final IssuedTokenAudit audit;

    ImplicitAuthorizationResponses(String consentPage, IssuedTokenAudit audit) {
        this.consentPage = consentPage;
        this.audit = audit;
    }

    @Override
    public boolean sendSuccess(HttpServletRequest request, HttpServletResponse response, Authentication outcome)
            throws IOException {
        if (outcome instanceof ImplicitConsentRequiredToken consent) {
            redirects.sendRedirect(request, response, UriComponentsBuilder.fromPath(consentPage)
                    .queryParam(OAuth2ParameterNames.SCOPE, String.join(" ", consent.getScopes()))
                    .queryParam(OAuth2ParameterNames.CLIENT_ID, consent.getClientId())
                    .queryParam(OAuth2ParameterNames.STATE, consent.getState())
                    .encode().build().toUriString());
            return true;
        }
        if (!(outcome instanceof ImplicitAccessTokenAuthenticationToken implicit)) {
            return false;
        }
        StringBuilder fragment = new StringBuilder();
        append(fragment, OAuth2ParameterNames.ACCESS_TOKEN, implicit.getAccessToken().getTokenValue());
        append(fragment, OAuth2ParameterNames.TOKEN_TYPE, implicit.getAccessToken().getTokenType().getValue());
        append(fragment, OAuth2ParameterNames.EXPIRES_IN, String.valueOf(implicit.expiresInSeconds()));
        append(fragment, OAuth2ParameterNames.SCOPE, String.join(" ", implicit.getAccessToken().getScopes()));
        append(fragment, OAuth2ParameterNames.STATE, implicit.getState());
        append(fragment, "iss", AuthorizationEndpointResponses.issuer());
        redirects.sendRedirect(request, response, withFragment(implicit.getRedirectUri(), fragment));
        audit.issued(request, implicit.getClientId(), OstiaryGrantTypes.IMPLICIT.getValue(), implicit.getAccessToken(), false);
        return true;
    }

    @Override
    public boolean sendFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException {
        OAuth2Error error = AuthorizationEndpointResponses.errorOf(failure);
        if (failure instanceof ImplicitAuthorizationException implicit) {
            if (implicit.getRedirectUri() == null) {
                AuthorizationEndpointResponses.sendErrorPage(request, response, error);
            } else {
                redirectWithFragment(request, response, implicit.getRedirectUri(), error, implicit.getState());
            }
            return true;
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken requestToken = failure instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                ? e.getAuthorizationCodeRequestAuthentication() : null;
        if (requestToken != null && requestToken.getRedirectUri() != null && !requestToken.getRedirectUri().isEmpty()
                && ImplicitAuthorizationRequestConverter.isImplicitRequest(request)) {
            // Spring's own validation failed an implicit request: still a fragment response
            redirectWithFragment(request, response, requestToken.getRedirectUri(), error, requestToken.getState());
            return true;
        }
        return false;
    }

    private void redirectWithFragment(HttpServletRequest request, HttpServletResponse response, String redirectUri,
            OAuth2Error error, String state) throws IOException {
        StringBuilder fragment = new StringBuilder();
        append(fragment, OAuth2ParameterNames.ERROR, error.getErrorCode());
        append(fragment, OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
        append(fragment, OAuth2ParameterNames.STATE, state);
        append(fragment, "iss", AuthorizationEndpointResponses.issuer());
        redirects.sendRedirect(request, response, withFragment(redirectUri, fragment));
    }

    private static void append(StringBuilder fragment, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (fragment.length() > 0) {
            fragment.append('&');
        }
        fragment.append(name).append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
    }

    private static String withFragment(String redirectUri, StringBuilder fragment) {
        int existing = redirectUri.indexOf('#');
        String base = existing < 0 ? redirectUri : redirectUri.substring(0, existing);
        return base + "#" + fragment;
    }
}
