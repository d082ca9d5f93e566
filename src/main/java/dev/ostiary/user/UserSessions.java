package dev.ostiary.user;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.SessionManagementConfigurer;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.session.ConcurrentSessionFilter;
import org.springframework.security.web.session.SimpleRedirectSessionInformationExpiredStrategy;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * The signed-in browser sessions of every user, so that deprovisioning can end them. The sessions
 * live in PostgreSQL (Spring Session JDBC), indexed by principal name, so this sees the sessions of
 * every node, and a session expired here is refused by every node on its next request. Each chain
 * that serves a session (login and self-service pages, the authorization endpoint) refuses a session
 * once it is expired: Spring Security's {@code ConcurrentSessionFilter} logs it out and sends the
 * browser to the login page before anything (a code, an implicit token) is issued to it.
 */
public class UserSessions {

    public static final String EXPIRED_URL = "/login?expired";

    private final SessionRegistry registry;
    /** What the chains' expiry checks ask: the request's own session first ({@link RequestSessionRegistry}). */
    private final SessionRegistry forExpiryChecks;

    /** @param registry Spring Session's registry, over the sessions in PostgreSQL ({@link #registry}) */
    public UserSessions(SessionRegistry registry) {
        this.registry = registry;
        this.forExpiryChecks = new RequestSessionRegistry(registry);
    }

    /**
     * The one {@link SessionRegistry}: Spring Security's session management and Spring Authorization
     * Server (the ID token's {@code sid}: the user's most recently used session, looked up by name) read
     * the sessions of every node from it.
     */
    public static <S extends Session> SessionRegistry registry(FindByIndexNameSessionRepository<S> sessions) {
        return new SpringSessionBackedSessionRegistry<>(sessions);
    }

    /**
     * For a chain that authenticates clients, not people (the authorization server's): sessions that
     * deprovisioning expired are refused, but nothing is registered, so a token request creates no
     * session (and no row).
     */
    public ConcurrentSessionFilter expiredSessionsRefused() {
        return new ConcurrentSessionFilter(forExpiryChecks, new SimpleRedirectSessionInformationExpiredStrategy(EXPIRED_URL));
    }

    /**
     * For {@code http.sessionManagement(...)}: no limit on sessions. Registering is a no-op with Spring
     * Session: the repository indexes each session by the name of its security context's principal.
     */
    public Customizer<SessionManagementConfigurer<HttpSecurity>> registered() {
        return session -> session.maximumSessions(-1).sessionRegistry(forExpiryChecks).expiredUrl(EXPIRED_URL);
    }

    /**
     * Ends every session of {@code username}, on every node: each is marked expired in PostgreSQL, and
     * whichever node serves its next request logs it out and deletes it.
     */
    public int expireAll(String username) {
        int expired = 0;
        for (SessionInformation session : registry.getAllSessions(AppUser.normalize(username), false)) {
            session.expireNow();
            expired++;
        }
        return expired;
    }
}
