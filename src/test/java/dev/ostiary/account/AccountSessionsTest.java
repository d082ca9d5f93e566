package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * The handle check before any query: only a session row's primary id (a lower-case UUID) is asked
 * about; anything else ends nothing and is not found. (Ownership is the delete's own {@code where},
 * tried against the database in AccountSecurityTest.)
 */
@Tag("unit")
class AccountSessionsTest {

    private final JdbcClient jdbc = mock(JdbcClient.class);

    @SuppressWarnings("unchecked")
    private final AccountSessions sessions = new AccountSessions(jdbc, mock(SessionRegistry.class),
            mock(FindByIndexNameSessionRepository.class));

    @Test
    void whenHandleIsMissingThenNotFoundAndNothingAsked() {
        assertThat(sessions.end("alice", null, "current")).isEmpty();
        verifyNoInteractions(jdbc);
    }

    @Test
    void whenHandleIsNotAPrimaryIdThenNotFoundAndNothingAsked() {
        for (String handle : new String[] { "", "1", "' or '1'='1", "0B3E5C2A-1111-4222-8333-444455556666",
                "0b3e5c2a-1111-4222-8333-444455556666 ", "0b3e5c2a-1111-4222-8333-4444555566667",
                "%30b3e5c2a-1111-4222-8333-444455556666", "0b3e5c2a_1111_4222_8333_444455556666" }) {
            assertThat(sessions.end("alice", handle, "current")).as(handle).isEmpty();
        }
        verifyNoInteractions(jdbc);
    }
}
