package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * Signing keys live in PostgreSQL: a restart keeps them, and tokens issued before still verify. One
 * server runs once and issues a token; each test then starts on its own copy of that database (a
 * PostgreSQL template copy), which is the restart, without starting the first server again per test.
 */
class SigningKeyPersistenceTest {

    /** The database as the first server left it, and a token it issued. */
    private static String afterFirstRun;
    private static String token;

    @BeforeAll
    static void firstRun() throws Exception {
        afterFirstRun = EmbeddedPostgresSupport.newDatabase();
        try (StandaloneServer first = StandaloneServer.start(afterFirstRun)) {
            token = TokensClient.clientCredentials(first.baseUrl(), "svc-client", "svc-secret", "read");
        }
    }

    @Test
    void whenServerRestartsThenSameKeySignsAndEarlierTokensVerify() throws Exception {
        String database = EmbeddedPostgresSupport.copyOf(afterFirstRun);
        try (StandaloneServer second = StandaloneServer.start(database)) {
            JWTClaimsSet claims = Jwks.verify(second.baseUrl(), token);
            assertThat(claims.getSubject()).isEqualTo("svc-client");
            String after = TokensClient.clientCredentials(second.baseUrl(), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        }
    }

    @Test
    void whenMasterKeyLostThenOldKeyRetiresAndItsTokensStillVerify() throws Exception {
        String database = EmbeddedPostgresSupport.copyOf(afterFirstRun);
        String otherMasterKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        try (StandaloneServer second = StandaloneServer.start(database, "--ostiary.keys.master-key=" + otherMasterKey)) {
            assertThat(Jwks.verify(second.baseUrl(), token).getSubject()).isEqualTo("svc-client");
            String after = TokensClient.clientCredentials(second.baseUrl(), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isNotEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
            assertThat(Jwks.verify(second.baseUrl(), after).getSubject()).isEqualTo("svc-client");
        }
    }

    @Test
    void whenMasterKeyRotatedWithReencryptThenSameKeyKeepsSigning() throws Exception {
        String database = EmbeddedPostgresSupport.copyOf(afterFirstRun);
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String newMasterKey = java.util.Base64.getEncoder().encodeToString(raw);
        try (StandaloneServer rotated = StandaloneServer.start(database, "--ostiary.keys.master-key=" + newMasterKey,
                "--ostiary.keys.previous-master-key=" + dev.ostiary.support.TestSecrets.MASTER_KEY,
                "--ostiary.keys.reencrypt=true")) {
            String after = TokensClient.clientCredentials(rotated.baseUrl(), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        }
        // the old master key is no longer needed
        try (StandaloneServer newOnly = StandaloneServer.start(database, "--ostiary.keys.master-key=" + newMasterKey)) {
            String after = TokensClient.clientCredentials(newOnly.baseUrl(), "svc-client", "svc-secret", "read");
            assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                    .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        }
    }
}
