package dev.ostiary.client;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A client name or client id as a person reads it on a consent page: what two names are compared
 * by when a third-party client must not imitate another client (review M6, trial F4). Folded are
 * compatibility forms (NFKC), accents, case, white space, invisible format characters and
 * punctuation ({@code web-app}, {@code Web App.} and {@code webapp} are one name), the Cyrillic and
 * Greek letters that look like Latin ones, and the digits that look like letters ({@code 0} as
 * {@code o}; {@code 1}, {@code l} and {@code I} as one letter). Folding too much only refuses a
 * name; folding too little lets an imitation through.
 *
 * <p>A table of the common look-alikes rather than Unicode's full confusables data (UTS #39, ICU4J's
 * {@code SpoofChecker}, ~14 MB): names are shown in Latin script to people choosing whether to trust
 * an application, and these letters are the ones that pass for Latin in ordinary fonts.
 */
public final class NameKey {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern IGNORED = Pattern.compile("[\\s\\p{Z}\\p{Cf}\\p{Cc}\\p{P}\\p{S}]+");

    /** Look-alikes of Latin letters, upper and lower case (before case folding, as their lower cases differ). */
    private static final Map<Character, Character> LOOK_ALIKES = lookAlikes(
            // Cyrillic capitals and small letters
            "АaВbЕeЅsІiЈjКkМmНhОoРpСcТtХxУyҮyӀiԜwԚqаaеeоoрpсcуyхxѕsіiјjһhԁdԛqԝwӏiѵvүyɑaɡgɩi"
            // Greek capitals and small letters
            + "ΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧxαaοoρpνvιiκkυuχxϲcϳjϵe"
            // digits and letters that pass for each other
            + "0o1ili");

    private NameKey() {
    }

    /** The folded form of {@code name}; two names with the same key look the same. */
    public static String of(String name) {
        String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC);
        String unaccented = MARKS.matcher(Normalizer.normalize(compatible, Normalizer.Form.NFD)).replaceAll("");
        StringBuilder latin = new StringBuilder(unaccented.length());
        for (int i = 0; i < unaccented.length(); i++) {
            char c = unaccented.charAt(i);
            latin.append(LOOK_ALIKES.getOrDefault(c, c));
        }
        String lower = latin.toString().toLowerCase(Locale.ROOT);
        StringBuilder folded = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            // after case folding: capitals that were mapped to a Latin capital are now small letters
            folded.append(LOOK_ALIKES.getOrDefault(c, c));
        }
        return IGNORED.matcher(folded).replaceAll("");
    }

    private static Map<Character, Character> lookAlikes(String pairs) {
        Map<Character, Character> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.length(); i += 2) {
            map.put(pairs.charAt(i), pairs.charAt(i + 1));
        }
        return Map.copyOf(map);
    }
}
