package dev.ostiary.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * What nothing can use any more: authorizations past their last expiry, the rotated refresh tokens
 * of expired families, and revocations of tokens that fail their own {@code exp} check anyway, each
 * once {@link AuthorizationProperties#purgeGrace()} past its expiry (why a grace: see there).
 */
public class ExpiredAuthorizations {

    private final JdbcClient jdbc;
    private final RevokedAccessTokens revokedTokens;
    private final Duration grace;
    private final Clock clock;

    ExpiredAuthorizations(JdbcClient jdbc, RevokedAccessTokens revokedTokens, Duration grace, Clock clock) {
        this.jdbc = jdbc;
        this.revokedTokens = revokedTokens;
        this.grace = grace;
        this.clock = clock;
    }

    /** @return how many rows were deleted */
    @Transactional
    public int purge() {
        OffsetDateTime cutoff = AuthorizationRows.utc(clock.instant().minus(grace));
        int authorizations = jdbc.sql("delete from oauth2_authorization where expires_at < ?").param(cutoff).update();
        int rotated = jdbc.sql("delete from oauth2_rotated_refresh_token where expires_at < ?").param(cutoff).update();
        int revoked = jdbc.sql("delete from revoked_access_token where expires_at < ?").param(cutoff).update();
        revokedTokens.forgetExpired();
        return authorizations + rotated + revoked;
    }
}
