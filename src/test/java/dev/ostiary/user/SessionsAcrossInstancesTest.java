package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * Review H4 with two instances on one database: sessions live in each instance's memory, so a lock
 * on one instance must end the user's session on the other (a PostgreSQL notification).
 */
class SessionsAcrossInstancesTest {

    @Test
    void whenUserIsLockedOnOneInstanceThenTheirSessionOnAnotherEnds() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        try (StandaloneServer first = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false");
                StandaloneServer second = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false")) {
            String admin = TokensClient.request(first.baseUrl(), "trusted-app", "trusted-secret",
                    new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("bob-pw")), Scope.parse("ostiary:admin"))
                    .getAccessToken().getValue();
            String username = "ivy-" + UUID.randomUUID().toString().substring(0, 6);
            assertThat(call(first, "POST", "/admin/api/users",
                    "{\"username\":\"%s\",\"password\":\"ivy-password\",\"roles\":[\"USER\"]}".formatted(username),
                    admin)).isEqualTo(201);
            UserAgent browser = new UserAgent(second.baseUrl());
            browser.login(username, "ivy-password");
            assertThat(browser.get("/account/applications").statusCode()).isEqualTo(200);

            assertThat(call(first, "POST", "/admin/api/users/" + username + "/lock", null, admin)).isEqualTo(200);

            // the notification arrives after the lock commits: wait for it, bounded
            long deadline = System.nanoTime() + 15_000_000_000L;
            int status = 200;
            while (status == 200 && System.nanoTime() < deadline) {
                status = browser.get("/account/applications").statusCode();
                if (status == 200) {
                    Thread.sleep(100);
                }
            }
            assertThat(status).isEqualTo(302);
            assertThat(UserAgent.location(browser.get("/account/applications"))).contains("/login");
        }
    }

    private static int call(StandaloneServer server, String method, String path, String json, String token)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
