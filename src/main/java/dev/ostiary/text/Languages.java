package dev.ostiary.text;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The languages the pages are written in: a message bundle set {@code messages/*_xx.properties} for
 * each, English the base bundle and the default. A language is added here and by its bundles
 * (docs/sign-in.md, "Languages").
 */
public final class Languages {

    /** English first: the default, and the base bundles' language. */
    public static final List<Language> SUPPORTED = List.of(
            new Language(Locale.ENGLISH, "English"),
            new Language(Locale.GERMAN, "Deutsch"));

    public static final Locale DEFAULT = SUPPORTED.get(0).locale();

    /** The longest Accept-Language header read: longer ones are not a browser's, and get the default. */
    static final int MAX_ACCEPT_LANGUAGE = 500;

    /** A language tag as far as it matters here (RFC 5646's shape, Java's underscore too); anything else is none. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*");

    private Languages() {
    }

    /** One language: its locale (language only) and its name written in itself, for the switch. */
    public record Language(Locale locale, String name) {

        public String code() {
            return locale.getLanguage();
        }
    }

    /** The supported language a tag such as {@code de}, {@code DE} or {@code de-CH} names; anything else none. */
    public static Optional<Locale> supported(String tag) {
        if (tag == null || tag.length() > 35 || !TAG.matcher(tag).matches()) {
            return Optional.empty();
        }
        String language = Locale.forLanguageTag(tag.replace('_', '-')).getLanguage();
        return SUPPORTED.stream().map(Language::locale).filter(l -> l.getLanguage().equals(language)).findFirst();
    }

    /**
     * The best supported language for an {@code Accept-Language} header (RFC 9110 §12.5.4, weights and
     * ranges as {@link Locale#lookup} reads them), the default when none matches or the header cannot be
     * read: a malformed header is a client's mistake, never an error page.
     */
    public static Locale forAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_ACCEPT_LANGUAGE) {
            return DEFAULT;
        }
        try {
            Locale match = Locale.lookup(Locale.LanguageRange.parse(header),
                    SUPPORTED.stream().map(Language::locale).toList());
            return match == null ? DEFAULT : match;
        } catch (IllegalArgumentException malformed) {
            return DEFAULT;
        }
    }
}
