package dev.ostiary.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The request matchers of the endpoints our own security checks guard, built the way Spring
 * Authorization Server builds its endpoint matchers ({@link PathPatternRequestMatcher} on the
 * percent-decoded path, with the same methods), so a check keyed on a path cannot disagree with the
 * endpoint that answers. {@code HttpServletRequest.getRequestURI()} is not decoded: comparing it
 * let {@code /oauth2/%74oken} past every guard while Spring routed it to the token endpoint. An
 * ArchUnit test ({@code RequestPathArchitectureTest}) keeps raw path getters out of decisions.
 *
 * @param token the token endpoint (POST, RFC 6749 §3.2)
 * @param introspection the introspection endpoint (POST, RFC 7662 §2.1)
 * @param revocation the revocation endpoint (POST, RFC 7009 §2.1)
 * @param authorization the authorization endpoint (GET and POST, RFC 6749 §3.1)
 * @param jwks the JWK Set endpoint (any method: it answers the wrong ones itself)
 * @param userInfo the OpenID Connect UserInfo endpoint
 * @param loginForm the login form submission ({@code POST /login})
 * @param pushedAuthorization the pushed authorization request endpoint (POST, RFC 9126 §2), client-authenticated
 *        like the token endpoint, so it meets the same edge checks
 * @param crossOrigin where browsers may call from other origins, any method (preflights are
 *        {@code OPTIONS}): the token, revocation and JWK Set endpoints
 * @param clientEndpoints where an unauthenticated request is answered {@code invalid_client} as JSON
 *        ({@link ClientEndpointsEntryPoint}), any method: the token, introspection and revocation
 *        endpoints. Not {@link #clientAuthenticated()}: that one is POST only and includes pushed
 *        authorization requests, and keying the entry point on it would change who answers a GET to
 *        the token endpoint or an unauthenticated pushed request.
 * @param deviceAuthorization the device authorization endpoint (POST, RFC 8628 §3.1), client-authenticated
 *        like the token endpoint, so it meets the same edge checks and rate limit
 * @param deviceVerification the device verification endpoint (GET and POST, RFC 8628 §3.3), where a
 *        signed-in user enters a user code and answers the consent
 */
public record EndpointMatchers(RequestMatcher token, RequestMatcher introspection, RequestMatcher revocation,
        RequestMatcher authorization, RequestMatcher jwks, RequestMatcher userInfo, RequestMatcher loginForm,
        RequestMatcher pushedAuthorization, RequestMatcher crossOrigin, RequestMatcher clientEndpoints,
        RequestMatcher deviceAuthorization, RequestMatcher deviceVerification) {

    /** nginx's {@code auth_request} target ({@code gateway/GatewayCheckFilter}, docs/gateway.md). */
    public static final String GATEWAY_CHECK_PATH = "/gateway/check";

    public static EndpointMatchers of(AuthorizationServerSettings settings, String loginPage) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new EndpointMatchers(
                paths.matcher(HttpMethod.POST, settings.getTokenEndpoint()),
                paths.matcher(HttpMethod.POST, settings.getTokenIntrospectionEndpoint()),
                paths.matcher(HttpMethod.POST, settings.getTokenRevocationEndpoint()),
                new OrRequestMatcher(paths.matcher(HttpMethod.GET, settings.getAuthorizationEndpoint()),
                        paths.matcher(HttpMethod.POST, settings.getAuthorizationEndpoint())),
                paths.matcher(settings.getJwkSetEndpoint()),
                paths.matcher(settings.getOidcUserInfoEndpoint()),
                paths.matcher(HttpMethod.POST, loginPage),
                paths.matcher(HttpMethod.POST, settings.getPushedAuthorizationRequestEndpoint()),
                new OrRequestMatcher(paths.matcher(settings.getTokenEndpoint()),
                        paths.matcher(settings.getTokenRevocationEndpoint()), paths.matcher(settings.getJwkSetEndpoint())),
                new OrRequestMatcher(paths.matcher(settings.getTokenEndpoint()),
                        paths.matcher(settings.getTokenIntrospectionEndpoint()),
                        paths.matcher(settings.getTokenRevocationEndpoint())),
                paths.matcher(HttpMethod.POST, settings.getDeviceAuthorizationEndpoint()),
                new OrRequestMatcher(paths.matcher(HttpMethod.GET, settings.getDeviceVerificationEndpoint()),
                        paths.matcher(HttpMethod.POST, settings.getDeviceVerificationEndpoint())));
    }

    /**
     * Where clients authenticate: token, introspection, revocation, pushed authorization and device
     * authorization requests.
     */
    public RequestMatcher clientAuthenticated() {
        return new OrRequestMatcher(token, introspection, revocation, pushedAuthorization, deviceAuthorization);
    }

    /** Where each client's request rate is limited: the requests that issue something (tokens, device codes). */
    public RequestMatcher rateLimited() {
        return new OrRequestMatcher(token, deviceAuthorization);
    }

    /**
     * The operator console's pages: {@code /admin} and everything under it but the admin API
     * ({@code /admin/api/**}, its own chain, matched first). Percent-decoded like every other matcher here.
     */
    public static RequestMatcher console() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new org.springframework.security.web.util.matcher.AndRequestMatcher(
                new OrRequestMatcher(paths.matcher("/admin"), paths.matcher("/admin/**")),
                new org.springframework.security.web.util.matcher.NegatedRequestMatcher(adminApi()));
    }

    /** The admin API: {@code /admin/api/**}. */
    public static RequestMatcher adminApi() {
        return PathPatternRequestMatcher.withDefaults().matcher("/admin/api/**");
    }

    /** The gateway check (GET: nginx's auth subrequests are GETs, and the recipe says {@code proxy_method GET}). */
    public RequestMatcher gatewayCheck() {
        return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, GATEWAY_CHECK_PATH);
    }
}
