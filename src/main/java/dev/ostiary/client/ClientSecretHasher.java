package dev.ostiary.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Client secrets as a keyed hash: HMAC-SHA-256 under a server pepper. Server-generated secrets
 * carry 256 bits of entropy, so a slow hash adds nothing but cost: a bcrypt check per token
 * request caps the token endpoint at a few dozen requests a second per core, this costs
 * microseconds. Without the pepper a leaked table cannot even be brute-forced offline.
 */
public final class ClientSecretHasher {

    static final String PREFIX = "{hmac-sha256}";

    private final SecretKeySpec pepper;

    public ClientSecretHasher(byte[] pepper) {
        if (pepper.length < 32) {
            throw new IllegalArgumentException("The client secret pepper must be at least 32 bytes");
        }
        this.pepper = new SecretKeySpec(pepper, "HmacSHA256");
    }

    public String hash(CharSequence rawSecret) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(rawSecret));
    }

    public boolean matches(CharSequence rawSecret, String encodedSecret) {
        if (rawSecret == null || encodedSecret == null || !encodedSecret.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(encodedSecret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, mac(rawSecret));
    }

    /**
     * A key for a purpose other than client secrets, derived from the pepper every instance shares, so
     * that every instance derives the same one (the DPoP nonce key): the keyed hash of the purpose's
     * name, in the encoding of a stored secret hash, which is how it has always been derived.
     */
    public byte[] deriveKey(String purpose) {
        return hash(purpose).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * For Spring Authorization Server's client secret check. Not a bean of its own: a
     * PasswordEncoder bean would also be picked up for user passwords, which keep a slow hash.
     */
    public PasswordEncoder asPasswordEncoder() {
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence rawPassword) {
                return hash(rawPassword);
            }

            @Override
            public boolean matches(CharSequence rawPassword, String encodedPassword) {
                return ClientSecretHasher.this.matches(rawPassword, encodedPassword);
            }

            /** Never: Spring Authorization Server would otherwise re-hash and save the secret on a match. */
            @Override
            public boolean upgradeEncoding(String encodedPassword) {
                return false;
            }
        };
    }

    private byte[] mac(CharSequence rawSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac.doFinal(rawSecret.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }
}
