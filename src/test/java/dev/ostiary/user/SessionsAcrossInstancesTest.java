package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.TwoInstances;
import dev.ostiary.support.UserAgent;

/**
 * Review H4 with two instances on one database: sessions live in each instance's memory, so a lock
 * on one instance must end the user's session on the other (a PostgreSQL notification).
 */
class SessionsAcrossInstancesTest {

    @Test
    void whenUserIsLockedOnOneInstanceThenTheirSessionOnAnotherEnds() throws Exception {
        StandaloneServer first = TwoInstances.first();
        StandaloneServer second = TwoInstances.second();
        String admin = TokensClient.adminToken(first.baseUrl());
        String username = "ivy-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(call(first, "POST", "/admin/api/users",
                "{\"username\":\"%s\",\"password\":\"ivy-password\",\"roles\":[\"USER\"]}".formatted(username),
                admin)).isEqualTo(201);
        UserAgent browser = new UserAgent(second.baseUrl());
        browser.login(username, "ivy-password");
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

        assertThat(call(first, "POST", "/admin/api/users/" + username + "/lock", null, admin)).isEqualTo(200);

        // the notification arrives after the lock commits: wait for it, bounded
        await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> browser.get("/account/applications").statusCode(), status -> status != 200);
        assertThat(browser.get("/account/applications").statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(browser.get("/account/applications"))).contains("/login");
    }

    private static int call(StandaloneServer server, String method, String path, String json, String token)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
