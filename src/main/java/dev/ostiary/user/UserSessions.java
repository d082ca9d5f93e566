package dev.ostiary.user;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.SessionManagementConfigurer;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.session.ConcurrentSessionFilter;
import org.springframework.security.web.session.SimpleRedirectSessionInformationExpiredStrategy;

import dev.ostiary.scope.AuthorityNames;

/**
 * The signed-in browser sessions of every user, so that deprovisioning can end them. Each chain that
 * serves a session (login and self-service pages, the authorization endpoint) registers its sessions
 * here and refuses a session once it is expired: Spring Security's {@code ConcurrentSessionFilter}
 * logs it out and sends the browser to the login page before anything (a code, an implicit token)
 * is issued to it.
 */
public class UserSessions {

    public static final String EXPIRED_URL = "/login?expired";

    private final SessionRegistry registry;

    public UserSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    /**
     * For a chain that authenticates clients, not people (the authorization server's): sessions that
     * deprovisioning expired are refused, but no session is registered, so a token request creates
     * none (maximumSessions would register, and so create, one per request).
     */
    public ConcurrentSessionFilter expiredSessionsRefused() {
        return new ConcurrentSessionFilter(registry, new SimpleRedirectSessionInformationExpiredStrategy(EXPIRED_URL));
    }

    /** For {@code http.sessionManagement(...)}: no limit on sessions, but every one registered. */
    public Customizer<SessionManagementConfigurer<HttpSecurity>> registered() {
        return session -> session.maximumSessions(-1).sessionRegistry(registry).expiredUrl(EXPIRED_URL);
    }

    /** Ends every session of {@code username} on this instance; their next request is refused. */
    public int expireAll(String username) {
        int expired = 0;
        for (Object principal : registry.getAllPrincipals()) {
            if (username.equals(nameOf(principal))) {
                for (SessionInformation session : registry.getAllSessions(principal, false)) {
                    session.expireNow();
                    expired++;
                }
            }
        }
        return expired;
    }

    /**
     * After notifications may have been missed (the listening connection dropped): ends every
     * session on this instance whose user is gone, locked or disabled, or whose roles changed
     * since the session signed in.
     */
    public int expireStale(Accounts accounts) {
        int expired = 0;
        for (Object principal : registry.getAllPrincipals()) {
            String username = nameOf(principal);
            Optional<Account> account = username == null ? Optional.empty() : accounts.find(username);
            boolean stale = account.isEmpty() || !account.get().active()
                    || (principal instanceof UserDetails user && !rolesOf(user).equals(account.get().roles()));
            if (stale) {
                for (SessionInformation session : registry.getAllSessions(principal, false)) {
                    session.expireNow();
                    expired++;
                }
            }
        }
        return expired;
    }

    private static Set<String> rolesOf(UserDetails user) {
        return AuthorityNames.roles(user.getAuthorities());
    }

    private static String nameOf(Object principal) {
        if (principal instanceof UserDetails user) {
            return AppUser.normalize(user.getUsername());
        }
        if (principal instanceof Principal named) {
            return AppUser.normalize(named.getName());
        }
        return principal == null ? null : AppUser.normalize(principal.toString());
    }
}
