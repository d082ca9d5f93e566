package dev.ostiary.user;

import java.util.Collection;

/**
 * What a change to a user takes away from them at once (review H4): their tokens, sessions and,
 * as the change requires, consents and self-service clients. {@link UserManagement} calls it inside
 * the transaction of the change, so a change that fails revokes nothing. The implementation
 * ({@code dev.ostiary.deprovisioning.UserDeprovisioning}) reaches into authorizations, consents and
 * clients; this interface keeps the user feature free of them.
 */
public interface Deprovisioning {

    /** Locked, disabled, given a new password: nothing issued before may be used; consents stay. */
    void revokeTokensAndSessions(String username);

    /** New roles: tokens and sessions carry the old ones, and consents to scopes now out of reach go. */
    void rolesChanged(String username, Collection<String> roles);

    /** Deleted: nothing keyed by the name survives, so the name can be given to someone else. */
    void deleted(String username, String actor);
}
