package dev.ostiary.keys;

/**
 * Life cycle of a signing key: published before it signs, published after it stops signing until
 * every token it signed has expired, then deleted. A revoked key leaves the JWKS at once.
 */
public enum KeyState {
    /** Published in the JWKS, not yet signing, so resource servers' caches learn it first. */
    next,
    /** Signs new tokens; exactly one per algorithm. */
    active,
    /** No longer signs; published until publish_until. */
    retired,
    /** Compromised: not published, tokens signed with it no longer verify. */
    revoked
}
