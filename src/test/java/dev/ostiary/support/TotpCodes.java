package dev.ostiary.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.ostiary.secondfactor.Totp;

/**
 * TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s) for tests, computed from a base32 secret as an
 * authenticator app computes them. The server accepts a code once, and after a step no code of an
 * earlier step: {@link #next} hands out each step of a secret at most once in this JVM (all server
 * tests share one database) and, when the steps the server accepts now are used up, waits for the
 * clock to reach the next step (polling the clock, not sleeping a guessed time).
 */
public final class TotpCodes {

    /** bob's published demo secret (README "Demo users"; demo/DemoData). */
    public static final String BOB_SECRET = "OSTIARYDEMOBOBTOTPSECRETDONTUSE2";

    /** Steps handed out per secret: the highest so far. */
    private static final Map<String, Long> LAST_STEP = new HashMap<>();

    /** A code of the previous step is used only this long into a step, so it is still in the server's window. */
    private static final Duration PREVIOUS_STEP_MARGIN = Duration.ofSeconds(20);

    private TotpCodes() {
    }

    /** The code of the secret for the step of {@code instant}. */
    public static String at(String base32Secret, Instant instant) {
        return Totp.code(decode(base32Secret), Totp.step(instant));
    }

    /** The code of the step before or after {@code instant}'s ({@code offset} steps away). */
    public static String at(String base32Secret, Instant instant, int offset) {
        return Totp.code(decode(base32Secret), Totp.step(instant) + offset);
    }

    /** The current code of bob's demo app that no earlier call handed out (see {@link #next}). */
    public static String bob() {
        return next(BOB_SECRET, Clock.systemUTC());
    }

    /**
     * A code the server accepts now and that was not handed out before: of the steps the server's
     * window accepts (previous, current, next) the lowest one above the last handed out, the previous
     * one only early in the current step. When none is left, waits until the clock reaches a new step.
     */
    public static synchronized String next(String base32Secret, Clock clock) {
        while (true) {
            Instant now = clock.instant();
            long current = Totp.step(now);
            long last = LAST_STEP.getOrDefault(base32Secret, Long.MIN_VALUE);
            long intoStep = now.getEpochSecond() - current * 30;
            long candidate = Math.max(last + 1, intoStep < PREVIOUS_STEP_MARGIN.toSeconds() ? current - 1 : current);
            if (candidate <= current + 1) {
                LAST_STEP.put(base32Secret, candidate);
                return Totp.code(decode(base32Secret), candidate);
            }
            // every step the server accepts now is used: wait for the clock to move on
            Instant nextStep = Instant.ofEpochSecond((current + 1) * 30);
            while (clock.instant().isBefore(nextStep)) {
                try {
                    TotpCodes.class.wait(Math.max(1, Duration.between(clock.instant(), nextStep).toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static byte[] decode(String base32) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : base32.replace(" ", "").toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            int value = alphabet.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("Not base32: " + c);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
