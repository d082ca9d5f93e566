package dev.ostiary.user;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A user's standing as it is now, for the checks that must not trust what was true when a token,
 * session or client was issued: deprovisioning takes effect at once.
 *
 * @param createdAt when this account (not an earlier one with the same name) was created
 */
public record Account(String username, boolean enabled, boolean locked, Set<String> roles, Instant createdAt) {

    public Account {
        roles = Set.copyOf(roles);
    }

    /** Whether the account may still act: neither disabled nor locked by an administrator. */
    public boolean active() {
        return enabled && !locked;
    }

    /**
     * Whether something issued or created under this user name at {@code issuedAt} can be this
     * account's. Things are keyed by name; a name is free again once its user is deleted, and what
     * a deleted namesake left behind (an authorization, a client) always predates the new account.
     * Compared at whole seconds, the precision of a JWT's {@code iat}.
     */
    public boolean issuedSinceCreation(Instant issuedAt) {
        return issuedAt == null || !issuedAt.isBefore(createdAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
