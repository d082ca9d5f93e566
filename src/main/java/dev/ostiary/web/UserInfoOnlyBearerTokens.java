package dev.ostiary.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * In the authorization server's chain a bearer token is the credential of the OpenID Connect
 * UserInfo endpoint only (OpenID Connect Core 1.0 §5.3.1). Elsewhere a bearer header is not client
 * authentication, so it is not read here and the endpoint answers with its own error
 * ({@code invalid_client} at the token endpoint, RFC 6749 §5.2) instead of a resource server's 401.
 */
public final class UserInfoOnlyBearerTokens implements BearerTokenResolver {

    private final BearerTokenResolver bearer = new DefaultBearerTokenResolver();
    private final RequestMatcher userInfo;

    public UserInfoOnlyBearerTokens(RequestMatcher userInfo) {
        this.userInfo = userInfo;
    }

    @Override
    public String resolve(HttpServletRequest request) {
        return userInfo.matches(request) ? bearer.resolve(request) : null;
    }
}
