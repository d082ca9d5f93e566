package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * I1: the RFC 8252 §7.3 loopback exception (any port) is for public native clients only; a
 * confidential client's loopback redirect URI must match exactly, and a mismatch is not redirected to.
 */
class LoopbackRedirectMatchingTest extends ServerTest {

    @Test
    void whenConfidentialClientSendsLoopbackRedirectWithAnotherPortThenErrorPageAndNoRedirect() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        for (String redirectUri : List.of("http://127.0.0.1:18998/callback", "http://127.0.0.1/callback",
                "http://127.0.0.1:1/callback")) {
            HttpResponse<String> response = agent.get("/oauth2/authorize?response_type=code&client_id=web-app"
                    + "&redirect_uri=" + redirectUri + "&scope=read&state=s" + Pkce.s256().query());
            assertThat(response.statusCode()).as(redirectUri).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(redirectUri).isEmpty();
        }
    }

    @Test
    void whenConfidentialClientPushesLoopbackRedirectWithAnotherPortThenRefused() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String port : List.of("18998", "18999")) {
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(uri("/oauth2/par"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            "web-app:web-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("response_type=code&client_id=web-app"
                            + "&redirect_uri=http://127.0.0.1:" + port + "/callback&scope=read&state=s"
                            + Pkce.s256().query())).build(), HttpResponse.BodyHandlers.ofString());
            if (port.equals("18999")) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(response.body()).contains("invalid_request", "redirect_uri");
            }
        }
    }

    @Test
    void whenPublicNativeClientSendsLoopbackRedirectWithAnotherPortThenItIsAccepted() throws Exception {
        String clientId = "native-" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, redirect_uris, scopes,
                    require_pkce, require_consent)
                values (gen_random_uuid(), ?, ?, '{none}', '{authorization_code}',
                    '{http://127.0.0.1:18999/native}', '{read}', true, false)""").params(clientId, clientId).update();
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=http://127.0.0.1:53117/native&scope=read&state=n" + Pkce.s256().query());
        assertThat(UserAgent.location(response)).startsWith("http://127.0.0.1:53117/native?code=");
    }
}
