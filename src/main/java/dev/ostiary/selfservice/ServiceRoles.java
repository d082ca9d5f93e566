package dev.ostiary.selfservice;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * The roles a client holds when it acts for itself (client_credentials), as they are now.
 *
 * An administrator's client holds the service roles it was registered with. A self-service client
 * acts for the user who registered it, so it holds at most what that user holds <em>now</em>: the
 * roles registered then, intersected with the owner's current roles, re-read at every token
 * request. When the owner is gone, locked or disabled, or the client predates the owner's account
 * (a deleted namesake's), it holds nothing and may not act at all. Resolving at token time (one
 * indexed query, for self-service clients only) rather than rewriting the clients on each change
 * to the user means no change path can forget it, and a role given back works again without a
 * re-registration. Admin clients keep their database-free token path.
 */
public class ServiceRoles {

    private final Accounts accounts;

    public ServiceRoles(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The client's roles now, or empty when it may not act for itself at all. */
    public Optional<Set<String>> current(RegisteredClient client) {
        Set<String> registered = OstiaryClientSettings.serviceRoles(client);
        String owner = OstiaryClientSettings.owner(client);
        if (owner == null) {
            return Optional.of(registered);
        }
        Optional<Account> account = accounts.find(owner);
        if (account.isEmpty() || !account.get().active()
                || !account.get().issuedSinceCreation(client.getClientIdIssuedAt())) {
            return Optional.empty();
        }
        Set<String> roles = new LinkedHashSet<>(registered);
        roles.retainAll(account.get().roles());
        return Optional.of(Set.copyOf(roles));
    }
}
