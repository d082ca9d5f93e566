package dev.ostiary.secondfactor;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;

/**
 * Time-based one-time passwords as every authenticator app computes them (RFC 6238 with its
 * defaults: HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch). A code is accepted for the
 * current step and one step either side (RFC 6238 §5.2: "at most one time step is allowed as the
 * network delay"), which also covers a phone clock a few seconds off. Whether a matching step was
 * already used is not decided here but in PostgreSQL ({@link TotpCredentials#accept}).
 */
public final class Totp {

    /** RFC 4226 §4 R6: a shared secret of at least 128 bits; 160 bits is the recommended length of an HMAC-SHA-1 key. */
    static final int SECRET_BYTES = 20;
    static final long STEP_SECONDS = 30;
    static final int DIGITS = 6;
    /** Steps accepted before and after the current one. */
    static final int WINDOW = 1;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HmacOneTimePasswordGenerator HOTP = new HmacOneTimePasswordGenerator(DIGITS);

    private Totp() {
    }

    static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The time step of an instant: T = floor(unix time / 30 s) (RFC 6238 §4.2). */
    public static long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of one time step, six digits with leading zeros. */
    public static String code(byte[] secret, long step) {
        try {
            return HOTP.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), step, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the text has the shape of a code: exactly six ASCII digits (spaces allowed between them). */
    static String normalize(String submitted) {
        if (submitted == null) {
            return null;
        }
        String digits = submitted.replace(" ", "");
        if (digits.length() != DIGITS) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return digits;
    }

    /**
     * The time step the code belongs to within the window around {@code now}, the latest one if
     * several match (so a reuse check sees the highest step); empty if none does or the code is malformed.
     * Every step of the window is computed and compared in constant time, whatever matches.
     */
    static OptionalLong matchingStep(byte[] secret, String submitted, Instant now) {
        String code = normalize(submitted);
        if (code == null) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long matched = Long.MIN_VALUE;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            if (MessageDigest.isEqual(code(secret, step).getBytes(), code.getBytes())) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /** The manual key in groups of four, as apps show and accept it. */
    static String grouped(String base32) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base32.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(base32, i, Math.min(i + 4, base32.length()));
        }
        return out.toString();
    }
}
