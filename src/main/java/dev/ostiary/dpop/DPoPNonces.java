package dev.ostiary.dpop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-issued DPoP nonces (RFC 9449 §8) without server state: a nonce is the minute it was issued
 * plus an HMAC of that minute under a key every instance derives the same way, so any instance can
 * check a nonce another one issued. A nonce is good for {@code lifetime}; a proof made with it
 * cannot be made earlier than the nonce existed.
 */
public class DPoPNonces {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final long lifetimeMinutes;

    public DPoPNonces(byte[] key, Clock clock, Duration lifetime) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
        this.lifetimeMinutes = Math.max(1, lifetime.toMinutes());
    }

    /** The nonce for now. */
    public String current() {
        return forMinute(minute());
    }

    public boolean valid(String nonce) {
        if (nonce == null || nonce.length() > 100) {
            return false;
        }
        long now = minute();
        for (long m = now; m > now - lifetimeMinutes; m--) {
            if (MessageDigest.isEqual(forMinute(m).getBytes(StandardCharsets.US_ASCII),
                    nonce.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    private long minute() {
        return clock.instant().getEpochSecond() / 60;
    }

    private String forMinute(long minute) {
        byte[] bucket = ByteBuffer.allocate(8).putLong(minute).array();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(bucket);
            return ENCODER.encodeToString(bucket) + "." + ENCODER.encodeToString(tag).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
