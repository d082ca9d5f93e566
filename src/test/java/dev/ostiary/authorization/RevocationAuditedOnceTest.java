package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Review §2.6: one revocation, one {@code token.revoked}, always from the revocation endpoint, with
 * the source address and {@code token_type_hint}; a stateless token's also names its jti and owner,
 * which the store hands over.
 */
class RevocationAuditedOnceTest extends ServerTest {

    @Autowired
    AuditTrail trail;

    /** One {@code token.revoked} row as stored. */
    record RevokedEvent(String details, String username, String sourceIp, String tokenTypeHint) {
    }

    /**
     * The last stored event: what other tests of the shared server revoked just before (within a
     * second, which a time window would count) stays below it.
     */
    private long lastEventId() {
        trail.flushAll();
        return jdbc.sql("select coalesce(max(id), 0) from audit_event").query(Long.class).single();
    }

    private List<RevokedEvent> revokedEventsAfter(long lastId, String clientId) {
        trail.flushAll();
        return jdbc.sql("select details::text, username, source_ip, details->>'tokenTypeHint'"
                + " from audit_event where type = 'token.revoked' and id > ? and client_id = ?")
                .params(lastId, clientId)
                .query((rs, n) -> new RevokedEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    @Test
    void whenStatelessTokenIsRevokedThenOneEventWithItsJtiIsPublished() throws Exception {
        long start = lastEventId();
        String token = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        String jti = JWTParser.parse(token).getJWTClaimsSet().getJWTID();

        assertThat(TokensClient.revoke(baseUrl(), "svc-client", "svc-secret", token)).isEqualTo(200);

        List<RevokedEvent> events = revokedEventsAfter(start, "svc-client");
        assertThat(events).hasSize(1);
        RevokedEvent event = events.get(0);
        assertThat(event.details()).contains(jti, "\"tokenType\": \"access_token\"");
        assertThat(event.username()).isEqualTo("svc-client");
        assertThat(event.sourceIp()).isEqualTo("127.0.0.1");
        // the Nimbus client sends token_type_hint=access_token for an access token
        assertThat(event.tokenTypeHint()).isEqualTo("access_token");
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", token)).isFalse();
    }

    @Test
    void whenStoredTokenIsRevokedThenTheEndpointPublishesOneEvent() throws Exception {
        long start = lastEventId();
        String user = newUser("USER");
        String token = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret("password")), Scope.parse("read"))
                .getAccessToken().getValue();

        assertThat(TokensClient.revoke(baseUrl(), "trusted-app", "trusted-secret", token)).isEqualTo(200);

        List<RevokedEvent> events = revokedEventsAfter(start, "trusted-app");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).sourceIp()).isEqualTo("127.0.0.1");
        assertThat(events.get(0).tokenTypeHint()).isEqualTo("access_token");
        assertThat(TokensClient.isActive(baseUrl(), "demo-api", "api-secret", token)).isFalse();
    }
}
