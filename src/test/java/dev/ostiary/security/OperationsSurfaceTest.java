package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * Review L10 and I6: what the server shows of itself. Actuator endpoints live on the management
 * port only; the log does not carry names typed at the login form that are no user's (passwords,
 * often).
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsSurfaceTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();


    @Test
    void whenPrometheusIsRequestedWithoutCredentialsOnMainPortThenRefused() throws Exception {
        for (String path : new String[] { "/actuator/prometheus", "/actuator/info", "/actuator/health",
                "/actuator/%70rometheus", "/actuator/prometheus/" }) {
            HttpResponse<String> main = get(baseUrl() + path);
            assertThat(main.statusCode()).as(path).isNotEqualTo(200);
            assertThat(main.body()).as(path).doesNotContain("jvm_memory", "ostiary_audit_events_total");
        }
        // the monitoring network scrapes the management port
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> metrics = get("http://localhost:" + managementPort + "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory");
        assertThat(get("http://localhost:" + managementPort + "/actuator/health").body()).contains("UP");
    }

    /** Trial finding: Spring Authorization Server's endpoints are filters, and Boot mounts them on the management server too. */
    @Test
    void whenOAuthEndpointIsRequestedOnManagementPortThenRefused() throws Exception {
        String management = "http://localhost:" + managementPort;
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(management + "/oauth2/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "svc-client:svc-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(403);
        assertThat(token.body()).doesNotContain("access_token");
        for (String path : new String[] { "/oauth2/jwks", "/oauth2/%6Awks", "/.well-known/openid-configuration",
                "/oauth2/authorize?response_type=code&client_id=web-app", "/login", "/userinfo", "/admin/api/keys",
                "/account/applications", "/v3/api-docs", "/actuator/env", "/actuator/beans" }) {
            HttpResponse<String> answer = get(management + path);
            assertThat(answer.statusCode()).as(path).isIn(400, 403, 404);
            assertThat(answer.body()).as(path).doesNotContain("\"keys\"", "issuer", "<form");
        }
        // the same request on the public port works
        assertThat(get(baseUrl() + "/oauth2/jwks").body()).contains("\"keys\"");
    }

    @Test
    void whenLoginFailsForAnUnknownNameThenTheLogDoesNotCarryIt(CapturedOutput output) throws Exception {
        String typedPassword = "corr3ct-horse-" + System.nanoTime();
        new UserAgent(baseUrl()).login(typedPassword, "whatever");
        String known = newUser("USER");
        new UserAgent(baseUrl()).login(known, "wrong-password");

        assertThat(output.getAll()).contains("login.failed").contains("user=unknown#").contains("user=" + known)
                .doesNotContain(typedPassword);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
