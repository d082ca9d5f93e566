package dev.ostiary.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/** The resource catalog's admin API: RFC 8707 §2's identifiers only, known scopes only, each once. */
class ResourceAdminApiTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whenResourceCreatedChangedAndDeletedThenCatalogFollowsAndBadOnesAreRefused() throws Exception {
        String admin = TokensClient.adminToken(baseUrl());
        String uri = "https://reports-" + UUID.randomUUID() + ".example";

        assertThat(send(admin, "POST", "", body(uri + "#part", "read")).statusCode()).isEqualTo(400);
        assertThat(send(admin, "POST", "", body("reports", "read")).statusCode()).isEqualTo(400);
        assertThat(send(admin, "POST", "", body(uri, "no-such-scope")).statusCode()).isEqualTo(400);

        HttpResponse<String> created = send(admin, "POST", "", body(uri, "read"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(send(admin, "POST", "", body(uri, "read")).statusCode()).isEqualTo(400);
        assertThat(send(admin, "GET", "", null).body()).contains(uri);

        String query = "?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
        HttpResponse<String> changed = send(admin, "PUT", query, body(uri, "read\",\"write"));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("write");

        assertThat(send(admin, "DELETE", query, null).statusCode()).isEqualTo(204);
        assertThat(send(admin, "GET", "", null).body()).doesNotContain(uri);
        assertThat(send(admin, "DELETE", query, null).statusCode()).isEqualTo(404);
    }

    private static String body(String uri, String scopes) {
        return "{\"uri\":\"" + uri + "\",\"name\":\"Reports\",\"scopes\":[\"" + scopes + "\"]}";
    }

    private HttpResponse<String> send(String token, String method, String query, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/admin/api/resources" + query))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
