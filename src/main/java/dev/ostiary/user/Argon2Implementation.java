package dev.ostiary.user;

/**
 * Which Argon2 computes password hashes ({@code ostiary.users.argon2-implementation}). Both write and
 * read the same hashes; they differ in speed only.
 */
public enum Argon2Implementation {

    /** The system's libargon2 when it loads and passes the known-answer test at start, else Bouncy Castle. */
    AUTO,

    /** The system's libargon2, or the server does not start. */
    NATIVE,

    /** Bouncy Castle's Java implementation. */
    BOUNCY_CASTLE
}
