package dev.ostiary.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one digest Ostiary stores and compares: of high-entropy tokens and one-time ids (a
 * fast unsalted digest suffices for values nobody can guess), of key material for fingerprints, of
 * documents for ETags. Every JVM must provide SHA-256 ({@link MessageDigest}'s contract), so its
 * absence is a broken runtime, not an error to handle.
 */
public final class Digests {

    private Digests() {
    }

    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Of the UTF-8 bytes. */
    public static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }
}
