package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.config.RequestPipeline;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TestUsers;
import dev.ostiary.support.UserAgent;

/**
 * The sessions are in PostgreSQL, so every request that carries a session cookie (or starts a session)
 * needs the database: while it is gone, Spring Session's filter must fail inside
 * {@code web/DatabaseUnavailableFilter} (config/RequestPipeline orders them) and the answer is 503 with
 * {@code Retry-After}, never a 500; once it is back, the session is still there. A PostgreSQL of its
 * own, on a fixed data directory and port, so it can be stopped and started.
 */
class SessionStoreOutageTest {

    @Test
    void whenDatabaseIsGoneThenSessionRequestsAre503AndTheSessionSurvives() throws Exception {
        Path data = Files.createTempDirectory("ostiary-session-outage-pg");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        EmbeddedPostgres postgres = start(data, port);
        try (StandaloneServer server = StandaloneServer.start(postgres.getJdbcUrl("postgres", "postgres"))) {
            // Spring Boot registers Spring Session's filter where RequestPipeline says: inside the outage filter
            int sessionFilter = server.beansOfType(DelegatingFilterProxyRegistrationBean.class)
                    .get("sessionRepositoryFilterRegistration").getOrder();
            assertThat(sessionFilter).isEqualTo(RequestPipeline.SESSION_REPOSITORY_FILTER)
                    .isGreaterThan(RequestPipeline.DATABASE_UNAVAILABLE_FILTER);

            String user = TestUsers.create(server.bean(UserRepository.class), server.bean(PasswordEncoder.class),
                    "password", "USER");
            UserAgent browser = new UserAgent(server.baseUrl());
            browser.login(user, "password");
            assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);
            String cookie = "SESSION=" + browser.cookie("SESSION").orElseThrow();
            RawHttp raw = new RawHttp(server.baseUrl());

            postgres.close();

            // a signed-in page: the session cannot be read
            RawHttp.Response signedIn = raw.get("/account/applications", Map.of("Cookie", cookie, "Accept", "text/html"));
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(503);
            assertThat(signedIn.header("Retry-After")).isNotBlank();
            // a protocol request with the cookie: the same, as RFC 6749's error
            RawHttp.Response authorize = raw.get("/oauth2/authorize?response_type=code&client_id=web-app",
                    Map.of("Cookie", cookie));
            assertThat(authorize.status()).as(authorize.body()).isEqualTo(503);
            assertThat(authorize.body()).contains("temporarily_unavailable");
            // a new visitor: the session the login page starts cannot be saved
            RawHttp.Response login = raw.get("/login", Map.of("Accept", "text/html"));
            assertThat(login.status()).as(login.body()).isEqualTo(503);
            assertThat(login.header("Retry-After")).isNotBlank();

            postgres = start(data, port);
            // nothing lost: the same cookie is still signed in once the pool has reconnected
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> browser.get("/account/applications").statusCode() == 200);
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws java.io.IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
}
