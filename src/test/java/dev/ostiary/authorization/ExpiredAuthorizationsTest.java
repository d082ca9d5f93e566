package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.support.ServerTest;

/**
 * Authorization rows, rotated refresh tokens and revocation entries are deleted once
 * {@code ostiary.authorizations.purge-grace} past their expiry, and not before; on the real tables
 * (shared by every server test, so each test counts only the rows of its own principal).
 */
class ExpiredAuthorizationsTest extends ServerTest {

    private static final Duration GRACE = Duration.ofMinutes(10);

    @Autowired
    private RevokedAccessTokens revokedTokens;

    @Autowired
    private AuthorizationProperties configured;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private String principal;
    private UUID clientId;

    @BeforeEach
    void ownPrincipal() {
        principal = "purge-" + UUID.randomUUID();
        clientId = jdbc.sql("select id from client where client_id = 'web-app'").query(UUID.class).single();
    }

    @Test
    void whenRowsExpiredLongerAgoThanTheGraceThenOnlyThoseAreDeleted() {
        String old = authorization(now.minus(GRACE).minusSeconds(1));
        String withinGrace = authorization(now.minus(GRACE).plusSeconds(30));
        String live = authorization(now.plusSeconds(60));
        rotatedRefreshToken(live, now.minus(GRACE).minusSeconds(5));
        rotatedRefreshToken(live, now.minusSeconds(5));
        revocation(now.minus(GRACE).minusSeconds(5));
        revocation(now.minusSeconds(5));

        int deleted = purger(GRACE).purge();

        assertThat(deleted).isGreaterThanOrEqualTo(3);
        assertThat(authorizationIds()).containsExactlyInAnyOrder(withinGrace, live).doesNotContain(old);
        assertThat(jdbc.sql("select count(*) from oauth2_rotated_refresh_token where authorization_id = ?")
                .param(live).query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from revoked_access_token where client_id = ?")
                .param(principal).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void whenTheGraceIsZeroThenEveryExpiredRowIsDeletedAndLiveOnesStay() {
        authorization(now.minusMillis(1));
        String live = authorization(now.plusSeconds(1));

        purger(Duration.ZERO).purge();

        assertThat(authorizationIds()).containsExactly(live);
    }

    @Test
    void whenNothingIsConfiguredThenAnHourOfGraceKeepsAnExpiredIdTokenUsableAsALogoutHint() {
        assertThat(configured.purgeGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(configured.purgeInterval()).isEqualTo(Duration.ofMinutes(10));
        String halfAnHourAgo = authorization(now.minus(Duration.ofMinutes(30)));

        purger(configured.purgeGrace()).purge();

        assertThat(authorizationIds()).containsExactly(halfAnHourAgo);
    }

    @Test
    void whenTheGraceIsNegativeThenTheSettingIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new AuthorizationProperties(Duration.ofMinutes(10), Duration.ofSeconds(-1)))
                .withMessageContaining("purge-grace");
        assertThatIllegalArgumentException().isThrownBy(
                () -> new AuthorizationProperties(Duration.ZERO, Duration.ofHours(1)))
                .withMessageContaining("purge-interval");
    }

    private ExpiredAuthorizations purger(Duration grace) {
        return new ExpiredAuthorizations(jdbc, revokedTokens, grace, clock);
    }

    private String authorization(Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into oauth2_authorization (id, registered_client_id, principal_name, grant_type, expires_at)
                values (?, ?, ?, 'authorization_code', ?)""")
                .params(id, clientId, principal, utc(expiresAt)).update();
        return id;
    }

    private void rotatedRefreshToken(String authorizationId, Instant expiresAt) {
        jdbc.sql("insert into oauth2_rotated_refresh_token (token_hash, authorization_id, expires_at) values (?, ?, ?)")
                .params(UUID.randomUUID().toString().getBytes(), authorizationId, utc(expiresAt)).update();
    }

    /** Revocation entries carry the test's principal as their client id, so each test counts its own. */
    private void revocation(Instant expiresAt) {
        jdbc.sql("insert into revoked_access_token (jti, client_id, expires_at) values (?, ?, ?)")
                .params(UUID.randomUUID().toString(), principal, utc(expiresAt)).update();
    }

    private java.util.List<String> authorizationIds() {
        return jdbc.sql("select id from oauth2_authorization where principal_name = ?")
                .param(principal).query(String.class).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
