package dev.ostiary.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.crypto.Digests;

/**
 * One-time use of {@code jti} values (client assertions, DPoP proofs), across every instance: the
 * first use inserts the value's digest ({@code insert … on conflict do nothing}: the database
 * decides, so two instances or two threads cannot both see a first use), any later use finds it.
 * Kept until the assertion or proof could no longer be accepted, then purged: its expiry plus the
 * clock skew the validators allow (Spring's {@code JwtTimestampValidator} accepts a JWT until
 * {@code exp} + 60 s), so a replay between {@code exp} and {@code exp} + skew still finds it (issue
 * 13, L4).
 */
public class SeenJtis {

    /** What the jti came in. */
    public enum Kind {
        CLIENT_ASSERTION, DPOP_PROOF, PUSHED_REQUEST_URI, REQUEST_OBJECT
    }

    /** Spring's {@code JwtTimestampValidator} default, the skew every JWT validator here allows. */
    public static final Duration DEFAULT_ACCEPTED_SKEW = Duration.ofSeconds(60);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration acceptedSkew;

    public SeenJtis(JdbcClient jdbc, Clock clock) {
        this(jdbc, clock, DEFAULT_ACCEPTED_SKEW);
    }

    /** @param acceptedSkew how long after its expiry a validator may still accept a JWT */
    public SeenJtis(JdbcClient jdbc, Clock clock, Duration acceptedSkew) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.acceptedSkew = acceptedSkew;
    }

    /**
     * Records the first use of {@code jti} (scoped by {@code issuer}, e.g. the client id).
     *
     * @param expiresAt when the assertion or proof expires; it is remembered for the accepted skew longer
     * @return true the first time, false for a replay
     */
    public boolean firstUse(Kind kind, String issuer, String jti, Instant expiresAt) {
        int inserted = jdbc.sql("insert into seen_jti (kind, jti_hash, expires_at) values (?, ?, ?) on conflict do nothing")
                .params(kind.name(), digest(issuer + "\u0000" + jti), OffsetDateTime.ofInstant(expiresAt.plus(acceptedSkew), ZoneOffset.UTC))
                .update();
        return inserted == 1;
    }

    /**
     * Forgets one use recorded by {@link #firstUse}: for a use that was given back before it produced
     * anything (a pushed request whose round trip to a stronger sign-in must be able to come back).
     */
    public void forget(Kind kind, String issuer, String jti) {
        jdbc.sql("delete from seen_jti where kind = ? and jti_hash = ?")
                .params(kind.name(), digest(issuer + "\u0000" + jti)).update();
    }

    /** Deletes the jtis no validator could accept any more; run every {@link ReplayProperties#purgeInterval()}. */
    public void purge() {
        jdbc.sql("delete from seen_jti where expires_at < ?")
                .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).update();
    }

    private static byte[] digest(String value) {
        return Digests.sha256(value);
    }
}
