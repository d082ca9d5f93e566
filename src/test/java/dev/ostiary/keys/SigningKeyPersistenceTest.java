package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.ostiary.OstiaryApplication;
import dev.ostiary.support.EmbeddedPostgresConfig;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.TestSecrets;
import dev.ostiary.support.TokensClient;

/** Signing keys live in PostgreSQL: a restart keeps them, and tokens issued before still verify. */
class SigningKeyPersistenceTest {

    static ConfigurableApplicationContext start(String jdbcUrl, String masterKey) {
        return new SpringApplicationBuilder(OstiaryApplication.class, EmbeddedPostgresConfig.class)
                .profiles("demo")
                // command-line arguments: they outrank application.yml, unlike builder properties
                .run("--server.port=0", "--ostiary.test.jdbc-url=" + jdbcUrl, "--ostiary.keys.master-key=" + masterKey,
                        "--ostiary.clients.secret-pepper=" + TestSecrets.PEPPER);
    }

    static String baseUrl(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    @Test
    void whenServerRestartsThenSameKeySignsAndEarlierTokensVerify() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        String token;
        try (ConfigurableApplicationContext first = start(database, TestSecrets.MASTER_KEY)) {
            token = TokensClient.clientCredentials(baseUrl(first), "svc-client", "svc-secret", "read");
        }
        try (ConfigurableApplicationContext second = start(database, TestSecrets.MASTER_KEY)) {
            JWTClaimsSet claims = Jwks.verify(baseUrl(second), token);
            assertThat(claims.getSubject()).isEqualTo("svc-client");
            String after = TokensClient.clientCredentials(baseUrl(second), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        }
    }

    @Test
    void whenMasterKeyChangesThenOldKeyRetiresAndItsTokensStillVerify() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        String token;
        try (ConfigurableApplicationContext first = start(database, TestSecrets.MASTER_KEY)) {
            token = TokensClient.clientCredentials(baseUrl(first), "svc-client", "svc-secret", "read");
        }
        String otherMasterKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        try (ConfigurableApplicationContext second = start(database, otherMasterKey)) {
            assertThat(Jwks.verify(baseUrl(second), token).getSubject()).isEqualTo("svc-client");
            String after = TokensClient.clientCredentials(baseUrl(second), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isNotEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
            assertThat(Jwks.verify(baseUrl(second), after).getSubject()).isEqualTo("svc-client");
        }
    }
}
