package dev.ostiary.keys;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The JWKS endpoint ({@code GET /oauth2/jwks}, RFC 7517 §5): writes the bytes the current
 * {@link SigningKeySet} snapshot serialized once, with a strong ETag so resource servers can
 * revalidate for free, and a max-age shorter than the next-key lead time so they learn a new key
 * before it signs. It sits in front of the security filter chain: the document is public. It
 * decides with the endpoint's {@link RequestMatcher} (the decoded path, as Spring Authorization
 * Server's own JWK Set filter matches), so {@code /oauth2/%6Awks} gets these bytes too; and the
 * {@code JWKSource} bean is the same key set, so nothing else could publish another one.
 */
public class JwksEndpointFilter extends OncePerRequestFilter {

    private final SigningKeySet keySet;
    private final RequestMatcher endpoint;
    private final String cacheControl;
    private final CorsConfigurationSource cors;

    /**
     * @param cors the application's CORS configuration (the registered web origins): only its
     *        allowed origins are used, the headers this endpoint needs are its own
     */
    public JwksEndpointFilter(SigningKeySet keySet, RequestMatcher endpoint, Duration maxAge,
            CorsConfigurationSource cors) {
        this.keySet = keySet;
        this.cors = cors;
        this.endpoint = endpoint;
        this.cacheControl = "public, max-age=" + maxAge.toSeconds();
    }

    private boolean allowed(HttpServletRequest request, String origin) {
        CorsConfiguration configuration = cors.getCorsConfiguration(request);
        return configuration != null && configuration.checkOrigin(origin) != null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !endpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean allowedOrigin = origin != null && allowed(request, origin);
        if (origin != null) {
            response.setHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
            if (allowedOrigin) {
                response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "ETag");
            }
        }
        if ("OPTIONS".equals(method)) {
            if (allowedOrigin) {
                response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD");
                response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match");
                response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else {
                response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            }
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        SigningKeySet.Snapshot snapshot = keySet.current();
        response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        response.setHeader(HttpHeaders.ETAG, snapshot.etag());
        // If-None-Match as Spring MVC reads it (RFC 9110 §13.1.2: weak comparison, "*", lists): 304 when it matches
        if (new ServletWebRequest(request, response).checkNotModified(snapshot.etag())) {
            return;
        }
        response.setContentType("application/json");
        response.setContentLength(snapshot.jwksJson().length);
        if ("GET".equals(method)) {
            response.getOutputStream().write(snapshot.jwksJson());
        }
    }
}
