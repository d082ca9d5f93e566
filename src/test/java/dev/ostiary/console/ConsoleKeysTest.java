package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.keys.KeyState;
import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.keys.SigningKeyService;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * The console's signing keys over HTTP on the real key table: rotating makes the published next key
 * sign and keeps the old one in the JWKS; revoking says how many live access tokens it breaks (counted
 * from the audit trail) and takes the key out of the JWKS at once; both are audited with the operator's
 * name and need the CSRF token.
 */
class ConsoleKeysTest extends ConsoleServerTest {

    @Autowired
    private SigningKeyService keys;

    @Autowired
    private AuditTrail trail;

    @Test
    void whenAnOperatorRotatesAndRevokesThenTheKeySetFollowsAndTheConfirmationCountsLiveTokens() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String token = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        JWSHeader header = SignedJWT.parse(token).getHeader();
        String signer = header.getKeyID();
        SigningAlgorithm algorithm = SigningAlgorithm.valueOf(header.getAlgorithm().getName());
        trail.flushAll();

        HttpResponse<String> timeline = console.get("/admin/keys");
        assertThat(timeline.statusCode()).isEqualTo(200);
        assertThat(timeline.body()).contains("id=\"algorithm-" + algorithm + "\"", "id=\"key-" + signer + "\"");
        assertThat(timeline.body()).contains("id=\"live-" + signer + "\"");

        HttpResponse<String> confirm = console.get("/admin/keys/rotate?algorithm=" + algorithm);
        assertThat(confirm.body()).contains("id=\"consequence\"", signer);
        assertThat(activeKid(algorithm)).as("the confirmation changes nothing").isEqualTo(signer);
        HttpResponse<String> rotated = console.post("/admin/keys/rotate",
                Map.of("algorithm", List.of(algorithm.name()), "_csrf", List.of(UserAgent.csrf(confirm.body()))));
        assertThat(UserAgent.location(rotated)).endsWith("/admin/keys");
        String successor = activeKid(algorithm);
        assertThat(successor).isNotEqualTo(signer);
        assertThat(console.follow(UserAgent.location(rotated)).body()).contains("id=\"rotated\"", successor);
        assertThat(state(signer)).isEqualTo(KeyState.retired);
        assertThat(jwks()).as("retired keys stay published").contains(signer);

        HttpResponse<String> revokeConfirm = console.get("/admin/keys/" + signer + "/revoke");
        String consequence = revokeConfirm.body().replaceAll("(?s).*id=\"consequence\">([^<]*)<.*", "$1");
        assertThat(consequence).matches(".*\\b[1-9][0-9,]* .*");
        HttpResponse<String> revoked = console.post("/admin/keys/" + signer + "/revoke",
                Map.of("_csrf", List.of(UserAgent.csrf(revokeConfirm.body()))));
        assertThat(UserAgent.isRedirect(revoked)).isTrue();
        assertThat(state(signer)).isEqualTo(KeyState.revoked);
        assertThat(jwks()).doesNotContain(signer);
        assertThat(activeKid(algorithm)).as("revoking a retired key leaves the signer alone").isEqualTo(successor);

        trail.flushAll();
        assertThat(jdbc.sql("""
                select type from audit_event where username = ? and type in ('key.rotated', 'key.revoked') order by id""")
                .param(operator.username()).query(String.class).list()).containsExactly("key.rotated", "key.revoked");
    }

    @Test
    void whenAChangeHasNoCsrfTokenOrBadInputThenNothingChanges() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String active = activeKid(SigningAlgorithm.RS256);
        assertThat(console.post("/admin/keys/rotate", Map.of("algorithm", List.of("RS256"))).statusCode()).isEqualTo(403);
        assertThat(console.post("/admin/keys/" + active + "/revoke", Map.of()).statusCode()).isEqualTo(403);
        assertThat(activeKid(SigningAlgorithm.RS256)).isEqualTo(active);
        for (String path : List.of("/admin/keys/rotate?algorithm=HS256", "/admin/keys/rotate", "/admin/keys/rotate?algorithm=%00")) {
            HttpResponse<String> response = console.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception");
        }
        assertThat(console.get("/admin/keys/no-such-kid/revoke").statusCode()).isEqualTo(404);

        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        assertThat(user.get("/admin/keys").statusCode()).isEqualTo(403);
        assertThat(user.get("/admin/%6Beys").statusCode()).isIn(400, 403);
    }

    private String activeKid(SigningAlgorithm algorithm) {
        return keys.describeKeys().stream().filter(k -> k.algorithm() == algorithm && k.state() == KeyState.active)
                .findFirst().orElseThrow().kid();
    }

    private KeyState state(String kid) {
        return keys.describeKeys().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow().state();
    }

    private String jwks() throws Exception {
        return new UserAgent(baseUrl()).get("/oauth2/jwks").body();
    }

}
