package dev.ostiary.problem;

/**
 * Control characters (C0, DEL, C1) in what someone typed into a search or filter. PostgreSQL text
 * cannot hold NUL (a query meeting one fails, a 500 if nothing catches it), no stored name or address
 * has a control character to match, and no one types one into a filter: such input is refused before
 * any query, as {@code invalid_request} naming the field.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /**
     * Whether {@code value} holds a control character; with {@code lineBreaksAllowed} tab, CR and LF do
     * not count (multi-line form fields such as a list of redirect URIs).
     */
    public static boolean in(String value, boolean lineBreaksAllowed) {
        return value != null && value.chars().anyMatch(c -> Character.isISOControl(c)
                && !(lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r')));
    }

    /** @throws InvalidRequestException naming {@code field} when any of {@code values} holds a control character */
    public static void refuse(String field, String... values) {
        for (String value : values) {
            if (in(value, false)) {
                throw new InvalidRequestException(field, "may not contain control characters");
            }
        }
    }
}
