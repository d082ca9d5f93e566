package dev.ostiary.sampleapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.TokensClient;

/**
 * Every demo caller against every endpoint of the sample API: the expected status, and the RFC 6750
 * challenge on every refusal.
 */
class SampleApiAccessMatrixTest extends ServerTest {

    private SampleApi api;

    @BeforeEach
    void startApi() {
        api = SampleApi.shared(baseUrl());
    }

    private String password(String user, String password, String scope) throws Exception {
        return TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                // bob has an authenticator app (demo data): his grant needs his current code too
                "bob".equals(user) ? dev.ostiary.support.TokensClient.bobGrant()
                        : new ResourceOwnerPasswordCredentialsGrant(user, new Secret(password)), Scope.parse(scope))
                .getAccessToken().getValue();
    }

    /** A caller, its token (null: none), and the expected status of each endpoint in ENDPOINTS order. */
    private record Caller(String name, String token, int getPatients, int postPatient, int deletePatient,
            int getDoctor) {
        int[] expected() {
            return new int[] { getPatients, postPatient, deletePatient, getDoctor };
        }
    }

    private static final String[][] ENDPOINTS = { { "GET", "/api/patients" }, { "POST", "/api/patients" },
            { "DELETE", "/api/patients/2" }, { "GET", "/api/doctors/1" } };

    @Test
    void everyCallerGetsTheExpectedStatusOnEveryEndpoint() throws Exception {
        String auditor = newUser("AUDITOR");
        List<Caller> callers = List.of(
                new Caller("no token", null, 401, 401, 401, 401),
                new Caller("garbage token", "not.a.token", 401, 401, 401, 401),
                new Caller("svc-client (read write, service role USER)",
                        TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read write"),
                        200, 201, 403, 200),
                new Caller("svc-client (read only)",
                        TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read"),
                        200, 403, 403, 200),
                new Caller("demo-api (no scope, no role)",
                        TokensClient.clientCredentials(baseUrl(), "demo-api", "api-secret", null),
                        403, 403, 403, 403),
                new Caller("alice (read write, USER)", password("alice", "alice-pw", "read write"), 200, 201, 403, 200),
                new Caller("alice (read)", password("alice", "alice-pw", "read"), 200, 403, 403, 200),
                // DELETE needs acr urn:ostiary:loa:2 (RFC 9470): bob's grant carries his TOTP code (loa:2);
                // an administrator with a password only gets 401 insufficient_user_authentication
                new Caller("bob (read write admin, USER ADMIN)", password("bob", "bob-pw", "read write admin"),
                        200, 201, 204, 200),
                new Caller("bob (admin only)", password("bob", "bob-pw", "admin"), 403, 403, 204, 403),
                new Caller("admin with a password only (read write admin, USER ADMIN, loa:1)",
                        password(newUser("USER", "ADMIN"), "password", "read write admin"), 200, 201, 401, 200),
                new Caller("auditor (read, no USER role)", password(auditor, "password", "read"), 403, 403, 403, 403));

        Map<String, String> mismatches = new LinkedHashMap<>();
        for (Caller caller : callers) {
            for (int e = 0; e < ENDPOINTS.length; e++) {
                HttpResponse<String> response = api.call(ENDPOINTS[e][0], ENDPOINTS[e][1], caller.token());
                int expected = caller.expected()[e];
                String where = caller.name() + " " + ENDPOINTS[e][0] + " " + ENDPOINTS[e][1];
                if (response.statusCode() != expected) {
                    mismatches.put(where, "expected " + expected + ", got " + response.statusCode() + " "
                            + response.headers().firstValue("WWW-Authenticate").orElse(""));
                    continue;
                }
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                if (expected == 401 && !challenge.startsWith("Bearer")) {
                    mismatches.put(where, "401 without a Bearer challenge");
                }
                if (expected == 401 && caller.token() != null && !challenge.contains("error=\"invalid_token\"")
                        && !(challenge.contains("error=\"insufficient_user_authentication\"")
                                && challenge.contains("acr_values=\"urn:ostiary:loa:2\"")
                                && challenge.contains("resource_metadata=\""))) {
                    mismatches.put(where, "401 without invalid_token: " + challenge);
                }
                if (expected == 403 && !(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\""))) {
                    mismatches.put(where, "403 without insufficient_scope and scope: " + challenge);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void refusalsSayWhatIsMissing() throws Exception {
        HttpResponse<String> noWrite = api.call("POST", "/api/patients",
                TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read"));
        assertThat(noWrite.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"write\"");

        HttpResponse<String> noRole = api.call("GET", "/api/patients", password(newUser("AUDITOR"), "password", "read"));
        assertThat(noRole.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("insufficient_scope", "role USER");
    }

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;

    @Test
    void tokensForAnotherAudienceAreRejected() throws Exception {
        jdbc.sql("insert into scope (name, description, audience) values ('billing', 'Billing', 'billing-api')"
                + " on conflict do nothing").update();
        jdbc.sql("update client set scopes = '{read,write,billing}' where client_id = 'svc-client'").update();
        try {
            // the client cache learns of the change by notification
            String token = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .ignoreException(AssertionError.class)
                    .until(() -> TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "billing"),
                            java.util.Objects::nonNull);
            HttpResponse<String> response = api.call("GET", "/api/doctors/1", token);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        } finally {
            jdbc.sql("update client set scopes = '{read,write}' where client_id = 'svc-client'").update();
            // svc-client is shared with every other test on this context: leave only once it is back
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> clients.findByClientId("svc-client").getScopes().equals(java.util.Set.of("read", "write")));
        }
    }

}
