package dev.ostiary.account;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.ostiary.user.AppUser;

/**
 * A user's signed-in browser sessions, from Spring Session's tables (V17), and ending one of them.
 *
 * <p>A session is named on the page by its {@code primary_id}: a random UUID Spring Session gives
 * each row, never sent as a cookie and never derived from one (the cookie's digest is
 * {@code session_id}, see {@code session/DigestedSessionIds}), so showing it signs nobody in. Ending
 * one is one statement whose {@code where} is the ownership check: the row goes only if it is the
 * user's, and never the session asking (that one signs out through logout). Anyone else's handle,
 * a stale one and a malformed one all end nothing and answer the same: not found. With its row gone
 * the browser's next request finds no session, on whichever node, and is sent to log in.
 */
public class AccountSessions {

    /** One session as the page lists it. */
    public record ActiveSession(String handle, SignInDevice device, Instant createdAt, Instant lastActiveAt,
            boolean current) {
    }

    /** What ending a session took away: the stored id, so the caller can revoke what it granted. */
    public record Ended(String sessionId) {
    }

    private static final Pattern HANDLE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JdbcClient jdbc;
    private final SessionRegistry registry;
    private final FindByIndexNameSessionRepository<? extends Session> repository;

    public AccountSessions(JdbcClient jdbc, SessionRegistry registry,
            FindByIndexNameSessionRepository<? extends Session> repository) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.repository = repository;
    }

    /**
     * The user's sessions that still serve requests (not expired by deprovisioning, not timed out),
     * the current one first, then the most recently active.
     *
     * @param currentSessionId the stored id of the session asking
     */
    public List<ActiveSession> of(String username, String currentSessionId) {
        String name = AppUser.normalize(username);
        // expireNow() marks a session without deleting it: the registry leaves those out
        Set<String> live = registry.getAllSessions(name, false).stream().map(SessionInformation::getSessionId)
                .collect(Collectors.toSet());
        Map<String, String> handles = jdbc.sql("select session_id, primary_id from spring_session where principal_name = ?")
                .param(name)
                .query((rs, n) -> Map.entry(rs.getString("session_id").trim(), rs.getString("primary_id").trim()))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
        return repository.findByPrincipalName(name).values().stream()
                .filter(session -> live.contains(session.getId()) && !session.isExpired())
                .filter(session -> handles.containsKey(session.getId()))
                .map(session -> new ActiveSession(handles.get(session.getId()),
                        session.getAttribute(SignInDevice.ATTRIBUTE) instanceof SignInDevice device ? device : null,
                        session.getCreationTime(), session.getLastAccessedTime(),
                        session.getId().equals(currentSessionId)))
                .sorted(Comparator.comparing(ActiveSession::current).reversed()
                        .thenComparing(ActiveSession::lastActiveAt, Comparator.reverseOrder()))
                .toList();
    }

    /**
     * Ends the session named by {@code handle} if it is one of {@code username}'s and not the current
     * one: one conditional delete (its attributes go by the foreign key's cascade).
     */
    public Optional<Ended> end(String username, String handle, String currentSessionId) {
        if (handle == null || !HANDLE.matcher(handle).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                delete from spring_session
                 where primary_id = ? and principal_name = ? and session_id <> ?
                returning session_id""")
                .params(handle, AppUser.normalize(username), currentSessionId == null ? "" : currentSessionId)
                .query((rs, n) -> new Ended(rs.getString(1).trim()))
                .optional();
    }
}
