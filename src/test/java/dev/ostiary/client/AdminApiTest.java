package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/** The admin REST API: clients, users and scopes, with RFC 9457 validation errors. */
class AdminApiTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private String admin() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private HttpResponse<String> call(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        var matcher = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }

    private int tokenStatus(String clientId, String secret) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void clientLifecycleCreateUseRotateUpdateDisableDelete() throws Exception {
        String admin = admin();
        String clientId = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = call("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Reporting job","grantTypes":["client_credentials"],
                 "scopes":["read"],"serviceRoles":["USER"],"accessTokenTtlSeconds":600}""".formatted(clientId), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = field(created.body(), "clientSecret");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

        String token = TokensClient.clientCredentials(baseUrl(), clientId, secret, "read");
        assertThat(Jwks.verify(baseUrl(), token).getStringListClaim("roles")).containsExactly("USER");

        HttpResponse<String> read = call("GET", "/admin/api/clients/" + clientId, null, admin);
        assertThat(read.body()).contains("\"clientName\":\"Reporting job\"", "\"hasSecret\":true")
                .doesNotContain(secret).doesNotContain("hmac");
        assertThat(call("GET", "/admin/api/clients?page=0&size=2", null, admin).body()).contains("\"size\":2", "\"total\":");

        HttpResponse<String> rotated = call("POST", "/admin/api/clients/" + clientId + "/secret", null, admin);
        String newSecret = field(rotated.body(), "clientSecret");
        assertThat(newSecret).isNotEqualTo(secret);
        assertThat(tokenStatus(clientId, secret)).isEqualTo(401);
        assertThat(tokenStatus(clientId, newSecret)).isEqualTo(200);

        HttpResponse<String> updated = call("PUT", "/admin/api/clients/" + clientId, """
                {"clientName":"Reporting job v2","grantTypes":["client_credentials"],"scopes":["read","write"],
                 "serviceRoles":["USER"]}""", admin);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(TokensClient.clientCredentials(baseUrl(), clientId, newSecret, "write")).isNotBlank();

        assertThat(call("POST", "/admin/api/clients/" + clientId + "/disable", null, admin).statusCode()).isEqualTo(200);
        assertThat(tokenStatus(clientId, newSecret)).isEqualTo(401);
        assertThat(call("POST", "/admin/api/clients/" + clientId + "/enable", null, admin).statusCode()).isEqualTo(200);
        assertThat(tokenStatus(clientId, newSecret)).isEqualTo(200);

        assertThat(call("DELETE", "/admin/api/clients/" + clientId, null, admin).statusCode()).isEqualTo(204);
        assertThat(tokenStatus(clientId, newSecret)).isEqualTo(401);
        HttpResponse<String> gone = call("GET", "/admin/api/clients/" + clientId, null, admin);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");

        String audit = call("GET", "/admin/api/audit-events?clientId=" + clientId, null, admin).body();
        assertThat(audit).contains("client.created", "client.secret_rotated", "client.updated", "client.deleted");
    }

    @Test
    void deletingAClientDeletesWhatItWasGiven() throws Exception {
        String admin = admin();
        String clientId = "app-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = call("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Legacy app","grantTypes":["password","refresh_token"],
                 "scopes":["read"]}""".formatted(clientId), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = field(created.body(), "clientSecret");
        TokensClient.request(baseUrl(), clientId, secret,
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), Scope.parse("read"));
        UUID registeredId = jdbc.sql("select id from client where client_id = ?").param(clientId).query(UUID.class).single();
        String count = "select count(*) from oauth2_authorization where registered_client_id = ?";
        assertThat(jdbc.sql(count).param(registeredId).query(Integer.class).single()).isEqualTo(1);

        assertThat(call("DELETE", "/admin/api/clients/" + clientId, null, admin).statusCode()).isEqualTo(204);
        assertThat(jdbc.sql(count).param(registeredId).query(Integer.class).single()).isZero();
    }

    @Test
    void invalidClientGetsProblemDetailsNamingEveryBadField() throws Exception {
        HttpResponse<String> response = call("POST", "/admin/api/clients", """
                {"clientName":"","grantTypes":["authorization_code","magic"],"authMethods":["none","client_secret_basic"],
                 "redirectUris":["http://example.com/cb","https://app.example/cb#frag","https://*.example/cb"],
                 "scopes":["read","nope"],"accessTokenTtlSeconds":5}""", admin());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"status\":400", "\"errors\"",
                "\"field\":\"clientName\"", "unknown grant type: magic", "\"field\":\"authMethods\"",
                "\"field\":\"redirectUris[0]\"", "\"field\":\"redirectUris[1]\"", "\"field\":\"redirectUris[2]\"",
                "unknown scope: nope", "\"field\":\"accessTokenTtlSeconds\"");
    }

    @Test
    void userLifecycleCreateLockUnlockResetRolesDelete() throws Exception {
        String admin = admin();
        String username = "carol-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = call("POST", "/admin/api/users",
                "{\"username\":\"%s\",\"password\":\"carol-password\",\"roles\":[\"USER\"]}".formatted(username), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("carol-password").doesNotContain("argon");
        assertThat(loginWorks(username, "carol-password")).isTrue();

        assertThat(call("POST", "/admin/api/users/" + username + "/lock", null, admin).body()).contains("\"locked\":true");
        assertThat(loginWorks(username, "carol-password")).isFalse();
        call("POST", "/admin/api/users/" + username + "/unlock", null, admin);
        assertThat(loginWorks(username, "carol-password")).isTrue();

        assertThat(call("POST", "/admin/api/users/" + username + "/password", "{\"password\":\"new-password-1\"}", admin)
                .statusCode()).isEqualTo(204);
        assertThat(loginWorks(username, "carol-password")).isFalse();
        assertThat(loginWorks(username, "new-password-1")).isTrue();

        HttpResponse<String> roles = call("PUT", "/admin/api/users/" + username + "/roles",
                "{\"roles\":[\"USER\",\"ADMIN\"]}", admin);
        assertThat(roles.body()).contains("ADMIN");
        String token = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant(username, new Secret("new-password-1")), Scope.parse("ostiary:admin"))
                .getAccessToken().getValue();
        assertThat(Jwks.verify(baseUrl(), token).getStringListClaim("roles")).contains("ADMIN");

        HttpResponse<String> invalid = call("POST", "/admin/api/users", "{\"username\":\"x y\",\"password\":\"short\"}",
                admin);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"username\"", "\"field\":\"password\"");

        assertThat(call("DELETE", "/admin/api/users/" + username, null, admin).statusCode()).isEqualTo(204);
        assertThat(loginWorks(username, "new-password-1")).isFalse();
    }

    private boolean loginWorks(String username, String password) throws Exception {
        return !UserAgent.location(new UserAgent(baseUrl()).login(username, password)).contains("error");
    }

    @Test
    void scopesCanBeAddedChangedAndRemoved() throws Exception {
        String admin = admin();
        String name = "reports-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = call("POST", "/admin/api/scopes",
                "{\"name\":\"%s\",\"description\":\"Read reports\",\"requiredRole\":\"ADMIN\",\"audience\":\"reports-api\"}"
                        .formatted(name), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(call("GET", "/admin/api/scopes", null, admin).body()).contains(name, "reports-api");
        assertThat(call("PUT", "/admin/api/scopes/" + name, "{\"description\":\"Read all reports\"}", admin).body())
                .contains("Read all reports");
        HttpResponse<String> bad = call("POST", "/admin/api/scopes", "{\"name\":\"has space\",\"description\":\"\"}", admin);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"name\"", "\"field\":\"description\"");
        assertThat(call("DELETE", "/admin/api/scopes/" + name, null, admin).statusCode()).isEqualTo(204);
    }

    @Test
    void adminApiNeedsAnAdminAndIsDescribedByOpenApi() throws Exception {
        assertThat(call("GET", "/admin/api/clients", null, null).statusCode()).isEqualTo(401);
        String alice = TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), Scope.parse("read"))
                .getAccessToken().getValue();
        // a token for another API (aud demo-api) is no credential here at all
        assertThat(call("GET", "/admin/api/users", null, alice).statusCode()).isEqualTo(401);
        HttpResponse<String> openApi = call("GET", "/v3/api-docs", null, null);
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("/admin/api/clients", "/admin/api/users", "/admin/api/scopes",
                "/admin/api/keys", "bearer");
    }
}
