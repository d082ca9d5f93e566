package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;

/**
 * I8: the in-memory set of revoked stateless tokens holds at most its capacity, and when revocations
 * outnumber it, answers stay right (misses are looked up in the table) rather than forgetting one.
 */
class RevokedAccessTokensBoundTest extends ServerTest {

    @Test
    void whenRevocationsOutnumberTheCapacityThenMemoryStaysBoundedAndEveryOneStillCounts() {
        Clock clock = Clock.systemUTC();
        RevokedAccessTokens revoked = new RevokedAccessTokens(jdbc, clock, 5);
        revoked.reload();
        List<String> jtis = new ArrayList<>();
        OffsetDateTime expiresAt = OffsetDateTime.ofInstant(Instant.now().plusSeconds(600), ZoneOffset.UTC);
        for (int i = 0; i < 12; i++) {
            String jti = "bound-" + UUID.randomUUID();
            jdbc.sql("insert into revoked_access_token (jti, client_id, expires_at) values (?, 'svc-client', ?)")
                    .params(jti, expiresAt).update();
            revoked.added(jti, expiresAt.toInstant());
            jtis.add(jti);
        }
        assertThat(revoked.size()).isLessThanOrEqualTo(5);
        for (String jti : jtis) {
            assertThat(revoked.isRevoked(jti)).as(jti).isTrue();
        }
        assertThat(revoked.isRevoked("never-revoked-" + UUID.randomUUID())).isFalse();
        jdbc.sql("delete from revoked_access_token where jti like 'bound-%'").update();
    }
}
