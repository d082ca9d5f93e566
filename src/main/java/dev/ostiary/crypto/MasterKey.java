package dev.ostiary.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts signing keys at rest: AES-256-GCM, a fresh 96-bit nonce per encryption,
 * the key id bound in as additional authenticated data so a ciphertext cannot be swapped onto
 * another row.
 */
public final class MasterKey {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String id;

    private MasterKey(byte[] keyBytes) {
        if (keyBytes.length != 32) {
            throw new IllegalArgumentException("The master key must be 32 bytes (base64 of 32 random bytes), got "
                    + keyBytes.length);
        }
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.id = fingerprint(keyBytes);
    }

    /** Parses a master key given as base64 (standard or URL-safe) of 32 bytes. */
    public static MasterKey fromBase64(String encoded) {
        String trimmed = encoded.trim();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException notStandard) {
            bytes = Base64.getUrlDecoder().decode(trimmed);
        }
        return new MasterKey(bytes);
    }

    public static MasterKey generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new MasterKey(bytes);
    }

    /** A short, non-secret identifier: which master key encrypted a row. */
    public String id() {
        return id;
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] nonceAndCiphertext, String associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
        cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return cipher.doFinal(nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
    }

    private static String fingerprint(byte[] keyBytes) {
        return "mk-" + HexFormat.of().formatHex(Digests.sha256(keyBytes), 0, 6);
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
