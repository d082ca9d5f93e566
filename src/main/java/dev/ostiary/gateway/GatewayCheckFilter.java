package dev.ostiary.gateway;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.problem.OAuth2ErrorResponse;

/**
 * {@code GET /gateway/check}, nginx's {@code auth_request} target (docs/gateway.md): a servlet filter
 * ahead of Spring Security, like the JWKS, because it is as hot (every API request behind the gateway
 * that nginx has not cached) and needs no session, security context or CSRF; running the security
 * chain cost the JWKS a third of its throughput. It decides with the endpoint's own matcher
 * ({@code web/EndpointMatchers#gatewayCheck}), the decoded path. It writes nothing anywhere: no
 * audit event, no counter in PostgreSQL, one in-memory meter per outcome.
 */
public class GatewayCheckFilter extends OncePerRequestFilter {

    static final String REQUIRED_SCOPE = "X-Required-Scope";
    static final String REQUIRED_AUDIENCE = "X-Required-Audience";
    static final String SUBJECT = "X-Ostiary-Subject";
    static final String CLIENT_ID = "X-Ostiary-Client-Id";
    static final String SCOPE = "X-Ostiary-Scope";
    /** nginx's own cache time for the answer, ahead of proxy_cache_valid; 0 keeps it out of the cache. */
    static final String ACCEL_EXPIRES = "X-Accel-Expires";

    private final GatewayCheck check;
    private final GatewayCallers callers;
    private final RequestMatcher endpoint;
    private final GatewayMetrics metrics;
    private final String realm;

    public GatewayCheckFilter(GatewayCheck check, GatewayCallers callers, RequestMatcher endpoint,
            GatewayMetrics metrics, String realm) {
        this.check = check;
        this.callers = callers;
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.realm = realm;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !endpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        if (!callers.allowed(request.getRemoteAddr())) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        GatewayAnswer answer = check.check(new GatewayRequest(all(request, HttpHeaders.AUTHORIZATION),
                all(request, REQUIRED_SCOPE), all(request, REQUIRED_AUDIENCE)));
        metrics.count(answer);
        response.setHeader(ACCEL_EXPIRES, Long.toString(answer.cacheFor().toSeconds()));
        if (answer instanceof GatewayAnswer.Allowed allowed) {
            response.setStatus(HttpServletResponse.SC_OK);
            setIfPresent(response, SUBJECT, allowed.subject());
            setIfPresent(response, CLIENT_ID, allowed.clientId());
            setIfPresent(response, SCOPE, allowed.scope());
        } else if (answer instanceof GatewayAnswer.Refused refused) {
            response.setStatus(refused.status());
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, refused.challenge(realm));
        } else if (answer instanceof GatewayAnswer.Misconfigured misconfigured) {
            OAuth2ErrorResponse.send(response, HttpStatus.BAD_REQUEST, OAuth2ErrorCodes.INVALID_REQUEST,
                    misconfigured.description());
        }
    }

    private static List<String> all(HttpServletRequest request, String name) {
        return Collections.list(request.getHeaders(name));
    }

    private static void setIfPresent(HttpServletResponse response, String name, String value) {
        if (value != null && !value.isEmpty()) {
            response.setHeader(name, value);
        }
    }
}
