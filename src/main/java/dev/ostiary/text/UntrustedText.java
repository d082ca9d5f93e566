package dev.ostiary.text;

/**
 * Text that came from a request (a typed user name, a claimed client id, a parameter) on its way into
 * PostgreSQL: text and JSONB columns cannot hold NUL, and nobody needs megabytes of it in an audit row
 * or a counter key.
 */
public final class UntrustedText {

    /** The most characters kept. */
    public static final int MAX_LENGTH = 200;

    private UntrustedText() {
    }

    /** At most {@value #MAX_LENGTH} characters, NUL replaced by U+FFFD; null stays null. */
    public static String storable(String value) {
        if (value == null) {
            return null;
        }
        String bounded = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        return bounded.replace('\u0000', '\uFFFD');
    }
}
