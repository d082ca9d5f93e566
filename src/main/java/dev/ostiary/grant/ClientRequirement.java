package dev.ostiary.grant;

/**
 * What a client must have to be allowed a grant; {@code ClientRules} checks them for the admin API,
 * the self-service page and dynamic registration alike.
 */
public enum ClientRequirement {

    /** The grant is for confidential clients: a public client ({@code none}) cannot use it. */
    CONFIDENTIAL_CLIENT,

    /** The grant answers at a redirect URI, so the client must register one (RFC 6749 §3.1.2). */
    REDIRECT_URI,

    /**
     * The grant cannot be the client's only one: it renews what another grant issued (a refresh
     * token alone could never be obtained, RFC 6749 §1.5).
     */
    ANOTHER_GRANT
}
