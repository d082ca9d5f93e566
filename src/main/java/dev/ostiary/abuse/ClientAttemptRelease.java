package dev.ostiary.abuse;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Right after Spring's client authentication: a request that gets here was not refused, so the place
 * its credential check held among the source's attempts is given back before the grant itself runs
 * (a password grant then takes a place of its own for the password check).
 */
public final class ClientAttemptRelease extends OncePerRequestFilter {

    private final SourceGuard guard;

    public ClientAttemptRelease(SourceGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        guard.clientAttemptEnded(ClientAttempt.take(request));
        chain.doFilter(request, response);
    }
}
