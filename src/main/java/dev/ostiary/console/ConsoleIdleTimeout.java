package dev.ostiary.console;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.logout.SessionLogout;

/**
 * The console's own idle timeout ({@link ConsoleProperties#idleTimeout()}): each console request
 * records its time in the session; a request that comes later than the timeout after the previous one
 * ends the session the way signing out does ({@link SessionLogout}: what the session granted is
 * revoked, its clients get logout tokens, the session row is deleted, {@code logout.session_ended} with
 * {@code via=console_idle} is audited) and sends the browser to sign in again, with the request saved so the sign-in
 * continues to it. The time is written at most every tenth of the timeout, like the session row's own
 * last access ({@code session/SessionStoreConfiguration}), so browsing the console does not rewrite an
 * attribute row per page.
 */
final class ConsoleIdleTimeout extends OncePerRequestFilter {

    static final String LAST_SEEN = ConsoleIdleTimeout.class.getName() + ".lastSeen";
    static final String SIGNED_OUT_PAGE = "/login?console-timeout";

    private final Duration timeout;
    private final Duration resolution;
    private final Clock clock;
    private final LogoutHandler logout;

    /** @param logout how the session ends: {@link SessionLogout} with {@code via=console_idle} */
    ConsoleIdleTimeout(Duration timeout, Clock clock, LogoutHandler logout) {
        this.timeout = timeout;
        this.resolution = timeout.dividedBy(10);
        this.clock = clock;
        this.logout = logout;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || signedIn == null || !signedIn.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        Instant now = clock.instant();
        Object stored = session.getAttribute(LAST_SEEN);
        if (stored instanceof Long lastSeen && now.isAfter(Instant.ofEpochMilli(lastSeen).plus(timeout))) {
            logout.logout(request, response, signedIn);
            new HttpSessionRequestCache().saveRequest(request, response);
            response.sendRedirect(request.getContextPath() + SIGNED_OUT_PAGE);
            return;
        }
        if (!(stored instanceof Long lastSeen) || now.isAfter(Instant.ofEpochMilli(lastSeen).plus(resolution))) {
            session.setAttribute(LAST_SEEN, now.toEpochMilli());
        }
        chain.doFilter(request, response);
    }
}
