package dev.ostiary.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.AbstractDataSource;

/** I9: with the database unreachable, the audit queue stops at its capacity and counts what it drops. */
@Tag("unit")
class AuditTrailBoundTest {

    /** A database that never answers. */
    private static final class Unreachable extends AbstractDataSource {
        @Override
        public java.sql.Connection getConnection() throws SQLException {
            throw new SQLException("unreachable");
        }

        @Override
        public java.sql.Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("unreachable");
        }
    }

    @Test
    void whenTheDatabaseLagsThenTheQueueIsBoundedAndDropsAreCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuditTrail trail = new AuditTrail(new JdbcTemplate(new Unreachable()), meters, dev.ostiary.grant.Grants.of());
        int sent = AuditTrail.CAPACITY + 250;
        for (int i = 0; i < sent; i++) {
            trail.on(new AuditEvent(Instant.now(), AuditEventType.LOGIN_FAILED, null, "user" + i, "192.0.2.1",
                    Map.of()));
        }
        assertThat(meters.counter("ostiary.audit.dropped").count()).isEqualTo(250);
        // a failed write keeps what it took, and loses nothing more than the queue cannot hold
        trail.flush();
        assertThat(meters.counter("ostiary.audit.dropped").count()).isEqualTo(250);
    }
}
