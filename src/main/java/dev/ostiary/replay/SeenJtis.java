package dev.ostiary.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * One-time use of {@code jti} values (client assertions, DPoP proofs), across every instance: the
 * first use inserts the value's digest, any later use finds it. Kept until the assertion or proof
 * would have expired anyway, then purged.
 */
public class SeenJtis {

    /** What the jti came in. */
    public enum Kind {
        CLIENT_ASSERTION, DPOP_PROOF
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public SeenJtis(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records the first use of {@code jti} (scoped by {@code issuer}, e.g. the client id).
     *
     * @return true the first time, false for a replay
     */
    public boolean firstUse(Kind kind, String issuer, String jti, Instant expiresAt) {
        int inserted = jdbc.sql("insert into seen_jti (kind, jti_hash, expires_at) values (?, ?, ?) on conflict do nothing")
                .params(kind.name(), digest(issuer + "\u0000" + jti), OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                .update();
        return inserted == 1;
    }

    @Scheduled(fixedDelayString = "${ostiary.replay.purge-interval:PT5M}")
    public void purge() {
        jdbc.sql("delete from seen_jti where expires_at < ?")
                .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).update();
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
