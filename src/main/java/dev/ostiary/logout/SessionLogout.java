package dev.ostiary.logout;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Ends the browser session of a request, whichever way the user signs out (the account page's
 * button, RP-initiated logout, its confirmation page): the authorizations that session granted are
 * revoked (every code, access and refresh token of them: the refresh tokens at least, RP-initiated
 * logout §1 leaves the policy to the OP), each of their clients with a back-channel logout URI is
 * queued a logout token, the session is invalidated (Spring Session deletes its row in PostgreSQL, so
 * no instance serves it again), and {@code logout.session_ended} is audited.
 */
public class SessionLogout implements LogoutHandler {

    private final SessionAuthorizations sessions;
    private final BackchannelLogoutOutbox outbox;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SecurityContextLogoutHandler context = new SecurityContextLogoutHandler();

    public SessionLogout(SessionAuthorizations sessions, BackchannelLogoutOutbox outbox,
            ApplicationEventPublisher events, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    /** How the user signed out, for the audit trail. */
    public enum Via {
        ACCOUNT_PAGE, RP_INITIATED, CONFIRMED,
        /** Ended from another of the user's sessions, on the account's sessions page. */
        OTHER_SESSION,
        /** The operator console's idle timeout ({@code console/ConsoleIdleTimeout}). */
        CONSOLE_IDLE,
        /** Ended by an operator on the user's console page. */
        OPERATOR
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        logout(request, response, authentication, Via.ACCOUNT_PAGE, null);
    }

    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication,
            Via via, String clientId) {
        HttpSession session = request.getSession(false);
        if (session != null && authentication != null && authentication.isAuthenticated()) {
            String sid = SessionAuthorizations.sidOf(session.getId());
            List<SessionAuthorizations.Granted> granted = sessions.ofSession(authentication.getName(), sid);
            int notified = outbox.enqueue(granted.stream().map(SessionAuthorizations.Granted::target).toList());
            granted.forEach(sessions::revoke);
            events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.LOGOUT_SESSION_ENDED, clientId,
                    authentication.getName(), request.getRemoteAddr(), Map.of("via", via.name().toLowerCase(),
                            "revoked_authorizations", granted.size(), "backchannel_logouts", notified)));
        }
        context.logout(request, response, authentication);
    }

    /**
     * Another session of the user ended from the account's sessions page (its row already deleted):
     * what that session granted goes as at its logout, and its clients are sent logout tokens.
     *
     * @param sessionId the ended session's stored id
     */
    public void endedElsewhere(String username, String sessionId, String sourceIp) {
        ended(username, sessionId, sourceIp, null);
    }

    /**
     * {@link #endedElsewhere} when an operator ended the session from the console: the audit event names
     * the operator, with the account as {@code target}.
     */
    public void endedByOperator(String username, String sessionId, String sourceIp, String operator) {
        ended(username, sessionId, sourceIp, operator);
    }

    private void ended(String username, String sessionId, String sourceIp, String operator) {
        String sid = SessionAuthorizations.sidOf(sessionId);
        List<SessionAuthorizations.Granted> granted = sessions.ofSession(username, sid);
        int notified = outbox.enqueue(granted.stream().map(SessionAuthorizations.Granted::target).toList());
        granted.forEach(sessions::revoke);
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("via", (operator == null ? Via.OTHER_SESSION : Via.OPERATOR).name().toLowerCase());
        details.put("revoked_authorizations", granted.size());
        details.put("backchannel_logouts", notified);
        if (operator != null) {
            details.put("target", username);
        }
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.LOGOUT_SESSION_ENDED, null,
                operator == null ? username : operator, sourceIp, details));
    }
}
