package dev.ostiary.keys;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What revoking a signing key breaks: how many access tokens it signed are still within their
 * lifetime. No token row names its key (client_credentials tokens have no row at all), so the count
 * comes from the audit trail: each {@code token.issued} event of a client whose tokens use the key's
 * algorithm, issued while the key was the one active key of that algorithm (one per algorithm, {@link
 * KeyState#active}), and younger than that client's access-token lifetime. Grants that are audited as
 * sums per minute count from the start of their minute, so the figure is an upper bound, never short.
 */
public class KeyFootprint {

    private final JdbcClient jdbc;

    public KeyFootprint(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** At most how many access tokens {@code key} signed are still valid at {@code now}. */
    public long liveAccessTokens(SigningKeyService.KeyView key, Instant now) {
        if (key.activatedAt() == null) {
            return 0;
        }
        Instant until = key.retiredAt() != null ? key.retiredAt() : key.revokedAt() != null ? key.revokedAt() : now;
        return jdbc.sql("""
                select coalesce(sum(coalesce((a.details->>'count')::bigint, 1)), 0)
                  from audit_event a join client c on c.client_id = a.client_id
                 where a.type = 'token.issued'
                   and a.occurred_at >= cast(:from as timestamptz) - interval '1 minute'
                   and a.occurred_at <= cast(:until as timestamptz)
                   and a.occurred_at > cast(:now as timestamptz) - interval '1 minute'
                                       - make_interval(secs => c.access_token_ttl_seconds)
                   and c.access_token_signing_alg = :alg""")
                .param("from", Timestamp.from(key.activatedAt()))
                .param("until", Timestamp.from(until))
                .param("now", Timestamp.from(now))
                .param("alg", key.algorithm().name())
                .query(Long.class).single();
    }
}
