package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * Review §2.6: one revocation, one {@code token.revoked}. A stateless token's comes from the store,
 * with its jti and owner; a stored token's from the revocation endpoint.
 */
class RevocationAuditedOnceTest extends ServerTest {

    @Autowired
    AuditTrail trail;

    private List<String> revokedEventsSince(OffsetDateTime since, String clientId) {
        trail.flushAll();
        return jdbc.sql("select details::text from audit_event where type = 'token.revoked'"
                + " and occurred_at >= ? and client_id = ?")
                .params(since, clientId).query(String.class).list();
    }

    @Test
    void whenStatelessTokenIsRevokedThenOneEventWithItsJtiIsPublished() throws Exception {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        String token = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        String jti = JWTParser.parse(token).getJWTClaimsSet().getJWTID();

        assertThat(TokensClient.revoke(baseUrl(), "svc-client", "svc-secret", token)).isEqualTo(200);

        List<String> events = revokedEventsSince(start, "svc-client");
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).contains(jti, "\"tokenType\": \"access_token\"");
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", token)).isFalse();
    }

    @Test
    void whenStoredTokenIsRevokedThenTheEndpointPublishesOneEvent() throws Exception {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        String user = newUser("USER");
        String token = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret("password")), Scope.parse("read"))
                .getAccessToken().getValue();

        assertThat(TokensClient.revoke(baseUrl(), "trusted-app", "trusted-secret", token)).isEqualTo(200);

        assertThat(revokedEventsSince(start, "trusted-app")).hasSize(1);
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", token)).isFalse();
    }
}
