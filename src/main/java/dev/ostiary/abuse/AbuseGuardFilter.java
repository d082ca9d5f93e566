package dev.ostiary.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of the endpoints that take credentials (token, introspection, revocation, login): refuses
 * addresses outside the allow list or on the deny list (403), sources and clients past their failure
 * threshold (429 with {@code Retry-After}), and clients over their request rate (429). Every check
 * is answered from memory.
 */
public class AbuseGuardFilter extends OncePerRequestFilter {

    private final SourceGuard guard;
    private final ClientRateLimiter rateLimiter;

    public AbuseGuardFilter(SourceGuard guard, ClientRateLimiter rateLimiter) {
        this.guard = guard;
        this.rateLimiter = rateLimiter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/oauth2/token") || path.equals("/oauth2/introspect") || path.equals("/oauth2/revoke")
                || (path.equals("/login") && "POST".equals(request.getMethod())));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        boolean clientEndpoint = !request.getRequestURI().equals("/login");
        if (clientEndpoint && !guard.admitted(address)) {
            refuse(response, 403, "access_denied", "Requests from this address are not accepted", null);
            return;
        }
        Optional<Duration> sourceWait = guard.sourceLocked(address);
        if (sourceWait.isPresent()) {
            refuse(response, 429, "too_many_requests", "Too many failed attempts from this address",
                    sourceWait.get());
            return;
        }
        if (clientEndpoint) {
            String clientId = claimedClientId(request);
            Optional<Duration> clientWait = clientId == null ? Optional.empty() : guard.clientLocked(clientId);
            if (clientWait.isPresent()) {
                refuse(response, 429, "too_many_requests", "Too many failed attempts for this client",
                        clientWait.get());
                return;
            }
            if ("/oauth2/token".equals(request.getRequestURI()) && !rateLimiter.tryAcquire(clientId)) {
                refuse(response, 429, "too_many_requests", "Request rate limit exceeded for this client",
                        Duration.ofSeconds(1));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String error, String description,
            Duration retryAfter) throws IOException {
        response.setStatus(status);
        if (retryAfter != null) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.getOutputStream().write(("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The client id the caller claims (HTTP Basic or form), unverified: only to pick its bucket. */
    private static String claimedClientId(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return java.net.URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String[] ids = request.getParameterValues("client_id");
        return ids != null && ids.length == 1 ? ids[0] : null;
    }
}
