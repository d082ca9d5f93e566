package dev.ostiary.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The revoked stateless access tokens (client_credentials and implicit tokens have no row of their
 * own, see StatelessAccessTokens), held in memory on every instance: introspection asks this instead
 * of the database, which was a third of its cost. The table stays the truth. It is read on first
 * use and again whenever change notifications may have been missed; a revocation on another instance
 * arrives by notification within milliseconds, one on this instance is added at once. Until the first
 * read succeeds every question goes to the database. Entries leave with their token's expiry, after
 * which the token fails its own {@code exp} check anyway.
 *
 * <p>Bounded (review I8): any client can mint and revoke tokens in a loop, one entry each until the
 * token expires (up to a day). At most {@code capacity} entries are kept (about 150 bytes each); past
 * that the set is no longer complete, and a token not in it is looked up in the table, which is always
 * correct, only slower. Once the unexpired revocations fit again, a reload makes the set complete.
 */
public class RevokedAccessTokens {

    static final int DEFAULT_CAPACITY = 20_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int capacity;
    private final Cache<String, Instant> revoked;
    private volatile boolean loaded;
    /** Whether an unexpired revocation may be missing from memory (evicted, or not loaded for room). */
    private volatile boolean incomplete;

    public RevokedAccessTokens(JdbcClient jdbc, Clock clock) {
        this(jdbc, clock, DEFAULT_CAPACITY);
    }

    RevokedAccessTokens(JdbcClient jdbc, Clock clock, int capacity) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.capacity = capacity;
        this.revoked = Caffeine.newBuilder()
                .maximumSize(capacity)
                .expireAfter(Expiry.<String, Instant>creating((jti, expiresAt) -> untilExpiry(expiresAt)))
                // synchronous, inside the eviction itself: no moment where an entry is gone unflagged
                .executor(Runnable::run)
                .evictionListener((String jti, Instant expiresAt, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        incomplete = true;
                    }
                })
                .build();
    }

    private Duration untilExpiry(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean isRevoked(String jti) {
        if (!loaded) {
            reload();
        }
        if (loaded && revoked.getIfPresent(jti) != null) {
            return true;
        }
        if (loaded && !incomplete) {
            return false;
        }
        return jdbc.sql("select exists (select 1 from revoked_access_token where jti = ?)")
                .param(jti).query(Boolean.class).single();
    }

    /**
     * Lists a stateless token as revoked until it expires; the other instances learn of it by the
     * table's notification (db/migration V5).
     *
     * @return false if it was listed already
     */
    boolean revoke(String jti, String clientId, Instant expiresAt) {
        int inserted = jdbc.sql("insert into revoked_access_token (jti, client_id, expires_at) values (?, ?, ?)"
                + " on conflict do nothing")
                .params(jti, clientId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                .update();
        added(jti, expiresAt);
        return inserted > 0;
    }

    /** A revocation made by this instance: known here before its notification comes back. */
    void added(String jti, Instant expiresAt) {
        revoked.put(jti, expiresAt);
    }

    /** A revocation notified by the database (made here or on another instance). */
    public void notified(String jti) {
        if (revoked.getIfPresent(jti) != null) {
            return; // this instance's own revocation, already known
        }
        jdbc.sql("select expires_at from revoked_access_token where jti = ?").param(jti)
                .query(OffsetDateTime.class).optional()
                .ifPresent(expiresAt -> revoked.put(jti, expiresAt.toInstant()));
    }

    /**
     * Reads the unexpired revocations again, adding to what is known (never replacing it, so a
     * notification handled meanwhile is not lost): at most {@code capacity}; if there are more, the set
     * stays incomplete and misses go to the table. On failure the next question tries again.
     */
    public synchronized void reload() {
        try {
            // complete again if every unexpired row fits; an eviction while loading flags it again
            incomplete = false;
            int[] rows = { 0 };
            jdbc.sql("select jti, expires_at from revoked_access_token where expires_at > ? limit ?")
                    .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).param(capacity + 1)
                    .query((rs, n) -> {
                        rows[0]++;
                        revoked.put(rs.getString("jti"), rs.getObject("expires_at", OffsetDateTime.class).toInstant());
                        return null;
                    })
                    .list();
            revoked.cleanUp();
            if (rows[0] > capacity) {
                incomplete = true;
            }
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

    /** Expired entries leave by themselves; an incomplete set is read again, to become complete when it fits. */
    void forgetExpired() {
        revoked.cleanUp();
        if (incomplete && loaded) {
            reload();
        }
    }

    /** For tests and metrics: entries held now. */
    long size() {
        revoked.cleanUp();
        return revoked.estimatedSize();
    }
}
