package dev.ostiary.support;

import java.net.URI;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.OstiaryApplication;

/**
 * The whole server on a random port, on its own database in the embedded PostgreSQL, with the demo
 * data. Tests talk to it over HTTP like any client would.
 */
@SpringBootTest(classes = { OstiaryApplication.class, EmbeddedPostgresConfig.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "springdoc.api-docs.enabled=true",
                // stepup: on by default; off until TokensClient.adminToken sends bob's TOTP code (secondfactor)
                "ostiary.step-up.admin-requires-second-factor=false",
                "ostiary.demo.admin-scope-requires-second-factor=false" })
@ActiveProfiles("demo")
public abstract class ServerTest {

    @LocalServerPort
    protected int port;

    /** Actuator (health, metrics) is served only here, never on the public port. */
    @org.springframework.boot.test.web.server.LocalManagementPort
    protected int managementPort;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    private dev.ostiary.user.UserRepository testUserRepository;

    @Autowired
    private org.springframework.security.crypto.password.PasswordEncoder testUserPasswordEncoder;

    /**
     * A user of the test's own, for tests whose outcome depends on the user's state (consents,
     * lockout): the contexts of all server tests share one database. Its password is {@code password}.
     */
    protected String newUser(String... roles) {
        return TestUsers.create(testUserRepository, testUserPasswordEncoder, "password", roles);
    }

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("ostiary.keys.master-key", () -> TestSecrets.MASTER_KEY);
        registry.add("ostiary.clients.secret-pepper", () -> TestSecrets.PEPPER);
        // every test here calls from 127.0.0.1 and many fail on purpose: locking the address out would
        // make tests depend on each other (AbuseControlsTest covers locks with a server of its own)
        registry.add("ostiary.abuse.source-ip-threshold", () -> "0");
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    protected URI managementUri(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }
}
