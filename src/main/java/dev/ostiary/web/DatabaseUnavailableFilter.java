package dev.ostiary.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.database.DatabaseFailures;
import dev.ostiary.problem.OAuth2ErrorResponse;

/**
 * When PostgreSQL is unreachable, requests that need it fail fast with 503 and {@code Retry-After}
 * (RFC 6749's {@code temporarily_unavailable} as JSON, or a short page) instead of a 500 with a
 * stack trace. Requests that need no database (client_credentials for a cached client, JWKS) keep
 * working. Recovery needs nothing: the pool reconnects on its own. A request that lost to a concurrent
 * change of the same rows, where nothing above answered it (the console and the admin API answer 409),
 * gets the same 503 with {@code Retry-After: 1}, said as what it is, and no outage warning in the log.
 */
public class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            boolean concurrentChange = DatabaseFailures.concurrentChange(e);
            if (!(concurrentChange || databaseUnavailable(e)) || response.isCommitted()) {
                throw e;
            }
            if (concurrentChange) {
                // not an outage: nothing for an operator's alert on "Database unavailable"
                log.info("Concurrent change for {} {}: {}", request.getMethod(), request.getRequestURI(), rootMessage(e));
            } else {
                log.warn("Database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(),
                        rootMessage(e));
            }
            // reset, not resetBuffer: a page may have taken the writer before the failure (Spring Session
            // saves a new session when the rendered page is flushed), and the answer needs the stream
            response.reset();
            // reset also dropped the chain's security headers: this answer sets its own
            response.setHeader("Retry-After", concurrentChange ? "1" : "5");
            response.setHeader("X-Content-Type-Options", "nosniff");
            String accept = request.getHeader("Accept");
            if (accept != null && accept.contains("text/html")) {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                response.setHeader("Cache-Control", "no-store");
                response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'");
                response.setContentType("text/html;charset=UTF-8");
                response.getOutputStream().write(("<!DOCTYPE html><html lang=en><meta charset=utf-8>"
                        + "<meta name=viewport content='width=device-width, initial-scale=1'>"
                        + "<link rel=stylesheet href='/css/ostiary.css'><title>Temporarily unavailable · Ostiary</title>"
                        + "<main class=page><div class=card><h1>Temporarily unavailable</h1>"
                        + "<p class=lead>" + (concurrentChange
                                ? "Another request changed the same thing at the same moment. Please try again."
                                : "Ostiary cannot reach its database right now. Please try again in a moment.")
                        + "</p></div></main>").getBytes(StandardCharsets.UTF_8));
            } else {
                OAuth2ErrorResponse.send(response, HttpStatus.SERVICE_UNAVAILABLE,
                        OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE, concurrentChange
                                ? "Another request changed the same data at the same moment; retry"
                                : "The server cannot reach its database; retry later");
            }
        }
    }

    /** See {@link DatabaseFailures}: the one classification, shared with the pool's eviction rule. */
    static boolean databaseUnavailable(Throwable e) {
        return DatabaseFailures.unavailable(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
