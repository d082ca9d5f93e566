package dev.ostiary.secondfactor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery codes: ten per user, {@code xxxx-xxxx-xxxx} in Crockford's base32 alphabet (digits and
 * lower-case letters without i, l, o, u, so nothing reads as something else): 12 characters of 5
 * random bits, 60 bits each. So many bits make a fast keyed digest a safe way to store them (nobody
 * enumerates 2^60 HMACs per user against a server-side key), and lockout bounds online guessing.
 */
public final class RecoveryCodes {

    static final int COUNT = 10;
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int n = 0; n < COUNT; n++) {
            StringBuilder code = new StringBuilder(LENGTH + 2);
            for (int i = 0; i < LENGTH; i++) {
                if (i > 0 && i % 4 == 0) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /**
     * The code as stored: lower case, without hyphens and spaces, with the letters people confuse
     * read as Crockford reads them (i, l → 1; o → 0); null unless exactly 12 characters of the alphabet.
     */
    public static String normalize(String submitted) {
        if (submitted == null || submitted.length() > 40) {
            return null;
        }
        StringBuilder out = new StringBuilder(LENGTH);
        for (char c : submitted.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            char read = switch (c) {
                case 'i', 'l' -> '1';
                case 'o' -> '0';
                default -> c;
            };
            if (ALPHABET.indexOf(read) < 0) {
                return null;
            }
            out.append(read);
        }
        return out.length() == LENGTH ? out.toString() : null;
    }
}
