package dev.ostiary.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable values the server makes up: client secrets, registration access tokens, the random
 * part of generated client ids. 32 bytes from {@link SecureRandom}, base64url without padding
 * (43 characters, 256 bits), so a fast unsalted digest of one ({@link Digests}) is safe to store.
 */
public final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
