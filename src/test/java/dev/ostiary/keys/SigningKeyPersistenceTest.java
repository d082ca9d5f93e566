package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/** Signing keys live in PostgreSQL: a restart keeps them, and tokens issued before still verify. */
class SigningKeyPersistenceTest {

    @Test
    void whenServerRestartsThenSameKeySignsAndEarlierTokensVerify() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        String token;
        try (StandaloneServer first = StandaloneServer.start(database)) {
            token = TokensClient.clientCredentials(first.baseUrl(), "svc-client", "svc-secret", "read");
        }
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
        String database = EmbeddedPostgresSupport.newDatabase();
        String token;
        try (StandaloneServer first = StandaloneServer.start(database)) {
            token = TokensClient.clientCredentials(first.baseUrl(), "svc-client", "svc-secret", "read");
        }
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
        String database = EmbeddedPostgresSupport.newDatabase();
        String token;
        try (StandaloneServer first = StandaloneServer.start(database)) {
            token = TokensClient.clientCredentials(first.baseUrl(), "svc-client", "svc-secret", "read");
        }
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
