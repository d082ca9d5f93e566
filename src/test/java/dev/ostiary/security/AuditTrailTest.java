package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/** Audit events: persisted without secrets, queryable by admins a page at a time, counted as metrics. */
class AuditTrailTest extends ServerTest {

    @Autowired
    AuditTrail trail;

    private final HttpClient http = HttpClient.newHttpClient();

    private String adminToken() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loginsTokensAndFailuresAreRecordedWithoutSecretsAndQueryableByAdmins() throws Exception {
        String user = newUser("USER");
        new UserAgent(baseUrl()).login(user, "wrong-password");
        new UserAgent(baseUrl()).login(user, "password");
        String token = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret("password")), Scope.parse("read"))
                .getAccessToken().getValue();
        TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        trail.flushAll();

        String admin = adminToken();
        HttpResponse<String> failed = get("/admin/api/audit-events?type=login.failed&username=" + user, admin);
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.body()).contains("\"type\":\"login.failed\"", user, "\"sourceIp\":\"127.0.0.1\"");
        assertThat(get("/admin/api/audit-events?type=login.succeeded&username=" + user, admin).body()).contains(user);
        HttpResponse<String> issued = get("/admin/api/audit-events?type=token.issued&username=" + user, admin);
        assertThat(issued.body()).contains("trusted-app", "\"grantType\":\"password\"");

        String everything = String.join("\n", jdbc.sql("select to_jsonb(a)::text from audit_event a")
                .query(String.class).list());
        assertThat(everything).doesNotContain("wrong-password", "\"password\":", token, "svc-secret");
        assertThat(everything).contains("\"count\"");

        HttpResponse<String> firstPage = get("/admin/api/audit-events?size=2&page=0", admin);
        assertThat(firstPage.body()).contains("\"size\":2", "\"page\":0");
        assertThat(get("/admin/api/audit-events", null).statusCode()).isEqualTo(401);
    }


    @Test
    void eventsAreCountedAtThePrometheusEndpoint() throws Exception {
        new UserAgent(baseUrl()).login(newUser("USER"), "wrong");
        // on the management port only (docs/configuration.md)
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ostiary_audit_events_total{type=\"login.failed\"}");
    }
}
