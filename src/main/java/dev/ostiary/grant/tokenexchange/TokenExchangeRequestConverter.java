package dev.ostiary.grant.tokenexchange;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2TokenExchangeAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a token exchange request (RFC 8693 §2.1) with Spring's converter, after refusing the token
 * types Ostiary does not exchange: the subject and actor tokens must be access tokens this server
 * issued, and the result is an access token. Spring would accept {@code …:token-type:jwt} too, and
 * answer other types with {@code unsupported_token_type}, a revocation error (RFC 7009 §2.2.1) the
 * token endpoint does not define; RFC 8693 §2.2.2 says {@code invalid_request}. Returns null for any
 * other grant.
 */
public final class TokenExchangeRequestConverter implements AuthenticationConverter {

    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2";

    private final AuthenticationConverter spring = new OAuth2TokenExchangeAuthenticationConverter();

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!AuthorizationGrantType.TOKEN_EXCHANGE.getValue()
                .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        // requested_token_type (OPTIONAL, §2.1): an access token is what we issue, and the default
        onlyAccessTokens(request, OAuth2ParameterNames.REQUESTED_TOKEN_TYPE, false);
        // subject_token_type (REQUIRED); refresh and ID tokens are not exchanged (docs/grants/token-exchange.md)
        onlyAccessTokens(request, OAuth2ParameterNames.SUBJECT_TOKEN_TYPE, true);
        // actor_token_type (REQUIRED with actor_token, which Spring's converter checks)
        onlyAccessTokens(request, OAuth2ParameterNames.ACTOR_TOKEN_TYPE, false);
        return spring.convert(request);
    }

    private static void onlyAccessTokens(HttpServletRequest request, String name, boolean required) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            if (required) {
                throw invalidRequest("OAuth 2.0 Token Exchange parameter: " + name);
            }
            return;
        }
        if (!ACCESS_TOKEN_TYPE.equals(value)) {
            throw invalidRequest(name + " must be " + ACCESS_TOKEN_TYPE);
        }
    }

    private static OAuth2AuthenticationException invalidRequest(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description,
                ERROR_URI));
    }
}
