package dev.ostiary.deprovisioning;

import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.authorization.RefreshTokenFamilies;
import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientView;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.user.Accounts;
import dev.ostiary.user.Deprovisioning;
import dev.ostiary.user.UserSessions;

/**
 * What a change to a user takes away from them at once (review H4). Runs inside the transaction of
 * the change, so a change that fails revokes nothing:
 * <ul>
 * <li>every authorization (codes, access and refresh tokens) with every client;</li>
 * <li>every browser session, on every instance (they live in PostgreSQL: marked expired in the change's
 * own transaction, refused by whichever instance serves their next request once it commits);</li>
 * <li>on a role change, the consents for scopes the new roles no longer allow;</li>
 * <li>on delete, every consent and every self-service client the user owns, so that a new user
 * with the same name inherits nothing.</li>
 * </ul>
 * What is not revoked here cannot outlive the change either: a refresh, a code redemption, the admin
 * API and a self-service client's token request all re-read the user ({@link Accounts}).
 *
 * It reaches into the authorizations, the consents and the clients, so it lives apart from the user
 * feature, which only knows the {@link Deprovisioning} it calls: that keeps {@code user} free of
 * {@code authorization}, which itself reads the users.
 */
public class UserDeprovisioning implements Deprovisioning {

    private static final Logger log = LoggerFactory.getLogger(UserDeprovisioning.class);

    private final JdbcClient jdbc;
    /** A family is one authorization row: every code, access and refresh token of one grant. */
    private final RefreshTokenFamilies families;
    private final UserSessions sessions;
    private final ScopeCatalog scopes;
    private final ClientManagement clients;

    public UserDeprovisioning(JdbcClient jdbc, RefreshTokenFamilies families, UserSessions sessions,
            ScopeCatalog scopes, ClientManagement clients) {
        this.jdbc = jdbc;
        this.families = families;
        this.sessions = sessions;
        this.scopes = scopes;
        this.clients = clients;
    }

    /** Locked, disabled, given a new password: nothing issued before may be used; consents stay. */
    @Override
    public void revokeTokensAndSessions(String username) {
        int revoked = families.removeByPrincipal(username);
        endSessions(username);
        log.info("Revoked {} authorizations and the sessions of user {}", revoked, username);
    }

    /** New roles: tokens and sessions carry the old ones, and consents to scopes now out of reach go. */
    @Override
    public void rolesChanged(String username, Collection<String> roles) {
        revokeTokensAndSessions(username);
        String[] outOfReach = scopes.all().values().stream()
                .filter(scope -> !scope.allowedFor(roles))
                .map(scope -> AuthorityNames.SCOPE_PREFIX + scope.name())
                .toArray(String[]::new);
        if (outOfReach.length > 0) {
            jdbc.sql("""
                    update oauth2_authorization_consent
                       set authorities = array(select a from unnest(authorities) a where a <> all(cast(? as text[]))),
                           updated_at = now()
                     where principal_name = ? and authorities && cast(? as text[])""")
                    .params(outOfReach, username, outOfReach).update();
            jdbc.sql("delete from oauth2_authorization_consent where principal_name = ? and cardinality(authorities) = 0")
                    .param(username).update();
        }
    }

    /** Deleted: nothing keyed by the name survives, so the name can be given to someone else. */
    @Override
    public void deleted(String username, String actor) {
        revokeTokensAndSessions(username);
        jdbc.sql("delete from oauth2_authorization_consent where principal_name = ?").param(username).update();
        List<ClientView> owned = clients.ownedBy(username);
        for (ClientView client : owned) {
            clients.delete(client.clientId(), actor);
        }
    }

    private void endSessions(String username) {
        // inside the change's transaction, on its connection: Spring Session joins it
        // (session/SessionStoreConfiguration), so a change that fails ends no session, and a change
        // never waits for a second pooled connection while it holds one
        sessions.expireAll(username);
    }
}
