package dev.ostiary.grant;

/** Where the {@code roles} claim of a user's access token comes from. */
public enum TokenRoles {

    /**
     * The account as it is now, re-read for each token: a refresh, a code redemption or a token
     * from a session must not outlive a locked account or a lost role.
     */
    ACCOUNT_AS_IT_IS_NOW,

    /** The user the grant itself authenticated for this very request (read from the database just now). */
    USER_AUTHENTICATED_BY_THE_GRANT
}
