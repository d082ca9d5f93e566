package dev.ostiary.user;

import java.util.Date;
import java.util.List;

import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The registry as Spring Security's {@code ConcurrentSessionFilter} sees it: the session of the request
 * being served is answered from that request's own session, which Spring Session's filter has just
 * loaded from PostgreSQL, instead of loading it a second time through
 * {@code SpringSessionBackedSessionRegistry} (and deserializing its security context again). Any other
 * id, and every other question, goes to the registry itself.
 *
 * <p>The answer is the same: both read the row as it is at the start of this request, and a session
 * that deprovisioning or "sign out everywhere" expired on any node carries Spring Session's expired
 * marker in its attributes, which is what is checked here. It saved 6 of the 17 session reads of a
 * sign-in round trip (docs/performance.md). Expiring goes through the registry as before: the
 * {@link SessionInformation} returned here is for reading.
 */
final class RequestSessionRegistry implements SessionRegistry {

    /** Where {@code SpringSessionBackedSessionInformation#expireNow} marks a session (package-private there). */
    static final String EXPIRED_MARKER =
            "org.springframework.session.security.SpringSessionBackedSessionInformation.EXPIRED";

    private final SessionRegistry registry;

    RequestSessionRegistry(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public SessionInformation getSessionInformation(String sessionId) {
        HttpSession current = currentSession();
        if (current == null || !current.getId().equals(sessionId)) {
            return registry.getSessionInformation(sessionId);
        }
        SessionInformation information = new SessionInformation(principalName(current), sessionId,
                new Date(current.getLastAccessedTime()));
        if (current.getAttribute(EXPIRED_MARKER) != null) {
            information.expireNow();
        }
        return information;
    }

    /** The principal as Spring Session's registry names it: the authentication's name, or "". */
    private static String principalName(HttpSession session) {
        Object context = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        if (context instanceof SecurityContext security && security.getAuthentication() != null) {
            return security.getAuthentication().getName();
        }
        return "";
    }

    private static HttpSession currentSession() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest().getSession(false) : null;
    }

    @Override
    public List<Object> getAllPrincipals() {
        return registry.getAllPrincipals();
    }

    @Override
    public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
        return registry.getAllSessions(principal, includeExpiredSessions);
    }

    @Override
    public void refreshLastRequest(String sessionId) {
        registry.refreshLastRequest(sessionId);
    }

    @Override
    public void registerNewSession(String sessionId, Object principal) {
        registry.registerNewSession(sessionId, principal);
    }

    @Override
    public void removeSessionInformation(String sessionId) {
        registry.removeSessionInformation(sessionId);
    }
}
