package dev.ostiary.authorization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Token values are stored as SHA-256 digests only: tokens carry at least 128 bits of entropy, so
 * an unsalted fast digest is enough to make a database dump useless, and it keeps lookups to one
 * index probe.
 *
 * <p>An authorization loaded from the database holds the real value only of the token it was
 * looked up by; its other tokens carry a placeholder ({@code #sha256:…}) that no client can ever
 * send, and that maps back to the stored digest when the authorization is saved again.
 */
final class TokenDigest {

    private static final String PLACEHOLDER_PREFIX = "#sha256:";

    private TokenDigest() {
    }

    static byte[] of(String tokenValue) {
        if (tokenValue == null) {
            return null;
        }
        if (tokenValue.startsWith(PLACEHOLDER_PREFIX)) {
            return Base64.getUrlDecoder().decode(tokenValue.substring(PLACEHOLDER_PREFIX.length()));
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(tokenValue.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String placeholder(byte[] digest) {
        return PLACEHOLDER_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** The real value when the caller looked the authorization up by this very digest. */
    static String valueOrPlaceholder(byte[] digest, String lookedUpValue, byte[] lookedUpDigest) {
        if (lookedUpDigest != null && MessageDigest.isEqual(digest, lookedUpDigest)) {
            return lookedUpValue;
        }
        return placeholder(digest);
    }
}
