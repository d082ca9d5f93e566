package dev.ostiary.abuse;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.problem.OAuth2ErrorResponse;
import dev.ostiary.web.ClaimedClientId;

/**
 * In front of the endpoints that take credentials: refuses addresses outside the allow list or on the
 * deny list (403, client endpoints only), sources past their failure threshold (429 with
 * {@code Retry-After}) and, at the client endpoints, claimed client ids past theirs. Every check is
 * answered from memory. It lives in the Spring Security chain of the endpoint it guards and decides
 * with that endpoint's own {@link RequestMatcher} (see {@code EndpointMatchers}), so no spelling of
 * the path that reaches the endpoint passes by it. The per-client request rate is limited after
 * client authentication ({@link ClientRateLimitFilter}).
 */
public class AbuseGuardFilter extends OncePerRequestFilter {

    private final SourceGuard guard;
    private final RequestMatcher guarded;
    private final boolean clientEndpoints;

    private AbuseGuardFilter(SourceGuard guard, RequestMatcher guarded, boolean clientEndpoints) {
        this.guard = guard;
        this.guarded = guarded;
        this.clientEndpoints = clientEndpoints;
    }

    /** For the token, introspection and revocation endpoints (inside the authorization server's chain). */
    public static AbuseGuardFilter forClientEndpoints(SourceGuard guard, RequestMatcher endpoints) {
        return new AbuseGuardFilter(guard, endpoints, true);
    }

    /** For the login form's submission (inside the default chain). */
    public static AbuseGuardFilter forLogin(SourceGuard guard, RequestMatcher loginForm) {
        return new AbuseGuardFilter(guard, loginForm, false);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !guarded.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        if (clientEndpoints && !guard.admitted(address)) {
            refuse(response, HttpStatus.FORBIDDEN, "access_denied", "Requests from this address are not accepted", null);
            return;
        }
        Optional<Duration> sourceWait = guard.sourceLocked(address);
        if (sourceWait.isPresent()) {
            refuse(response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                    "Too many failed attempts from this address",
                    sourceWait.get());
            return;
        }
        if (clientEndpoints) {
            // unverified: only to pick the claimed client's failure counter
            String clientId = ClaimedClientId.from(request);
            Optional<Duration> clientWait = clientId == null ? Optional.empty() : guard.clientLocked(clientId);
            if (clientWait.isPresent()) {
                refuse(response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                        "Too many failed attempts for this client",
                        clientWait.get());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static void refuse(HttpServletResponse response, HttpStatus status, String error, String description,
            Duration retryAfter) throws IOException {
        if (retryAfter != null) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        OAuth2ErrorResponse.send(response, status, error, description);
    }
}
