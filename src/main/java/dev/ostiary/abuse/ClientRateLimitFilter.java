package dev.ostiary.abuse;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-client request rate at the token endpoint, right after Spring Authorization Server's
 * client authentication: only a client that proved who it is gets (and spends) a bucket, so an
 * unauthenticated caller cannot grow the limiter with made-up client ids, nor drain a real client's
 * bucket by claiming its id. A request without an authenticated client passes on and is refused by
 * the endpoint ({@code invalid_client}).
 */
public class ClientRateLimitFilter extends OncePerRequestFilter {

    private final ClientRateLimiter limiter;
    private final RequestMatcher tokenEndpoint;

    public ClientRateLimitFilter(ClientRateLimiter limiter, RequestMatcher tokenEndpoint) {
        this.limiter = limiter;
        this.tokenEndpoint = tokenEndpoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !limiter.enabled() || !tokenEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        if (authentication instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
                && client.getRegisteredClient() != null
                && !limiter.tryAcquire(client.getRegisteredClient().getClientId())) {
            AbuseGuardFilter.refuse(response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                    "Request rate limit exceeded for this client", Duration.ofSeconds(1));
            return;
        }
        chain.doFilter(request, response);
    }
}
