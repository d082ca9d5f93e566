package dev.ostiary.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * The session row is rewritten only when more than its last access time changed, or that time is a
 * tenth of the timeout (at most a minute) old; the idle timeout still ends the session. On the real
 * session table: a row's {@code xmin} changes exactly when a new version of it is written.
 */
class SessionLastAccessTest extends ServerTest {

    private String user;
    private UserAgent browser;

    @BeforeEach
    void signedIn() throws Exception {
        user = newUser("USER");
        browser = new UserAgent(baseUrl());
        assertThat(browser.login(user, "password").statusCode()).isEqualTo(302);
    }

    @Test
    void whenRequestsFollowWithinAMinuteThenTheRowIsNotRewrittenAndTheSessionStaysSignedIn() throws Exception {
        Map<String, Object> before = row();

        for (int i = 0; i < 3; i++) {
            assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);
        }

        Map<String, Object> after = row();
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(after.get("last_access_time")).isEqualTo(before.get("last_access_time"));
    }

    @Test
    void whenTheStoredLastAccessIsOlderThanAMinuteThenTheNextRequestWritesItAndTheExpiry() throws Exception {
        long movedBack = moveLastAccessBack(61_000);

        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

        Map<String, Object> after = row();
        long lastAccess = (Long) after.get("last_access_time");
        assertThat(lastAccess).isGreaterThanOrEqualTo(movedBack + 61_000);
        assertThat((Long) after.get("expiry_time"))
                .isEqualTo(lastAccess + 1000L * (Integer) after.get("max_inactive_interval"));
    }

    @Test
    void whenTheSessionIsIdleLongerThanItsTimeoutThenItIsEndedDespiteTheSkippedWrites() throws Exception {
        int timeoutSeconds = (Integer) row().get("max_inactive_interval");
        moveLastAccessBack(1000L * timeoutSeconds + 1000);

        HttpResponse<String> response = browser.get("/account/applications");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(response)).endsWith("/login");
    }

    @Test
    void whenTheSessionIdChangesAtSignInThenTheRowIsWritten() throws Exception {
        String storedBefore = (String) row().get("session_id");

        assertThat(browser.login(user, "password").statusCode()).isEqualTo(302);

        assertThat(((String) row().get("session_id")).trim()).isNotEqualTo(storedBefore.trim());
    }

    private Map<String, Object> row() {
        return jdbc.sql("""
                select xmin::text as version, session_id, last_access_time, expiry_time, max_inactive_interval
                from spring_session where principal_name = ?""").param(user).query().singleRow();
    }

    /** As if the last write of the row had been {@code millis} ago; returns the stored time now. */
    private long moveLastAccessBack(long millis) {
        jdbc.sql("""
                update spring_session set last_access_time = last_access_time - ?, expiry_time = expiry_time - ?
                where principal_name = ?""").params(millis, millis, user).update();
        return (Long) row().get("last_access_time");
    }
}
