package dev.ostiary.authorization;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The revoked stateless access tokens (client_credentials and implicit tokens have no row of their
 * own, see StatelessAccessTokens), held in memory on every instance: introspection asks this instead
 * of the database, which was a third of its cost. The table stays the truth. It is read whole on first
 * use and again whenever change notifications may have been missed; a revocation on another instance
 * arrives by notification within milliseconds, one on this instance is added at once. Until the first
 * read succeeds every question goes to the database. Entries leave with their token's expiry, after
 * which the token fails its own {@code exp} check anyway.
 */
public class RevokedAccessTokens {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public RevokedAccessTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean isRevoked(String jti) {
        if (!loaded) {
            reload();
        }
        if (loaded) {
            return revoked.containsKey(jti);
        }
        return jdbc.sql("select exists (select 1 from revoked_access_token where jti = ?)")
                .param(jti).query(Boolean.class).single();
    }

    /** A revocation made by this instance: known here before its notification comes back. */
    void added(String jti, Instant expiresAt) {
        revoked.put(jti, expiresAt);
    }

    /** A revocation notified by the database (made here or on another instance). */
    public void notified(String jti) {
        if (revoked.containsKey(jti)) {
            return; // this instance's own revocation, already known
        }
        jdbc.sql("select expires_at from revoked_access_token where jti = ?").param(jti)
                .query(OffsetDateTime.class).optional()
                .ifPresent(expiresAt -> revoked.put(jti, expiresAt.toInstant()));
    }

    /**
     * Reads the whole list again, adding to what is known (never replacing it, so a notification
     * handled meanwhile is not lost). On failure the next question tries again.
     */
    public synchronized void reload() {
        try {
            jdbc.sql("select jti, expires_at from revoked_access_token where expires_at > ?")
                    .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                    .query((rs, n) -> revoked.put(rs.getString("jti"),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                    .list();
            loaded = true;
        } catch (RuntimeException e) {
            loaded = false;
        }
    }

    /** Notifications may have been missed (the listening connection dropped): read everything again. */
    public void resync() {
        loaded = false;
        reload();
    }

    void forgetExpired() {
        Instant now = clock.instant();
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(now));
    }
}
