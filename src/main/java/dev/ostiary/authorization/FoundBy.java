package dev.ostiary.authorization;

/**
 * What an authorization is looked up by: the column, and the value and digest of what was presented
 * (the one token read back with its real value, see {@link TokenDigest}). {@link #NOTHING} for a
 * lookup by id.
 */
record FoundBy(String column, String value, byte[] digest) {

    static final FoundBy NOTHING = new FoundBy(null, null, null);

    /** A lookup by the digest of a presented {@code value}: hashed, never decoded. */
    static FoundBy digestOf(String column, String value) {
        return new FoundBy(column, value, TokenDigest.of(value));
    }

    String valueOrPlaceholder(byte[] stored) {
        return TokenDigest.valueOrPlaceholder(stored, value, digest);
    }
}
