package dev.ostiary.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/** I5: RFC 7009 §2.2 — another client's token is answered like an unknown one, and nothing is revoked. */
class RevocationAnswersTest extends ServerTest {

    @Test
    void whenAnotherClientsTokenIsRevokedThenAnswerIs200AndTokenStaysActive() throws Exception {
        String stateless = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        String stored = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), Scope.parse("read"))
                .getAccessToken().getValue();
        for (String token : new String[] { stateless, stored }) {
            assertThat(TokensClient.revoke(baseUrl(), "web-app", "web-secret", token)).isEqualTo(200);
            assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", token)).isTrue();
        }
        // the same answer as for a token nobody issued
        assertThat(TokensClient.revoke(baseUrl(), "web-app", "web-secret", "no-such-token")).isEqualTo(200);
        // a client that does not authenticate still gets invalid_client
        assertThat(TokensClient.revoke(baseUrl(), "web-app", "wrong-secret", stored)).isEqualTo(401);
        // and the owner still revokes
        assertThat(TokensClient.revoke(baseUrl(), "svc-client", "svc-secret", stateless)).isEqualTo(200);
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", stateless)).isFalse();
        assertThat(TokensClient.revoke(baseUrl(), "trusted-app", "trusted-secret", stored)).isEqualTo(200);
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", stored)).isFalse();
    }
}
