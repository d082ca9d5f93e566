package dev.ostiary.grant.devicecode;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * User codes a person can read off a television and type on a phone (RFC 8628 §6.1): eight letters
 * from an alphabet without vowels (no words), without {@code 0/O} and {@code 1/I} and nothing else
 * that looks alike, shown as {@code BCDF-GHJK}; entered in any case, with or without the dash or
 * spaces. 20<sup>8</sup> codes (34.6 bits): enough against guessing only because guesses are
 * counted and locked out ({@link UserCodeGuessing}) and a code lives minutes.
 */
public final class UserCodes implements OAuth2TokenGenerator<OAuth2UserCode> {

    /** RFC 8628 §6.1's example alphabet: 20 consonants, no vowel, no digit. */
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public UserCodes(Clock clock) {
        this.clock = clock;
    }

    /** A new code, {@code XXXX-XXXX}, each letter drawn uniformly (no modulo bias). */
    static String newCode() {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * What a person typed, as the code is stored ({@code XXXX-XXXX}): case, dashes and white space
     * do not matter. Empty when it cannot be a code (wrong length, a letter outside the alphabet), so
     * it is refused without a lookup.
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 64) {
            return Optional.empty();
        }
        StringBuilder letters = new StringBuilder(LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0 || letters.length() == LENGTH) {
                return Optional.empty();
            }
            letters.append(c);
        }
        if (letters.length() != LENGTH) {
            return Optional.empty();
        }
        return Optional.of(letters.insert(LENGTH / 2, '-').toString());
    }

    /** Spring's generator contract: a user code for the device authorization request, else null. */
    @Override
    public OAuth2UserCode generate(OAuth2TokenContext context) {
        if (context.getTokenType() == null || !OAuth2ParameterNames.USER_CODE.equals(context.getTokenType().getValue())) {
            return null;
        }
        Instant issuedAt = clock.instant();
        return new OAuth2UserCode(newCode(), issuedAt,
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getDeviceCodeTimeToLive()));
    }
}
