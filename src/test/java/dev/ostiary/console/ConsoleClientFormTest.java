package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientView;
import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.support.UserAgent;

/**
 * The console's client form over HTTP on the real tables: what it creates is what the admin API would
 * create (same rules, a secret shown once that works at the token endpoint, the operator named in the
 * audit trail); a refused form saves nothing and names each field; an edit replaces every setting, so an
 * unticked box turns its setting off; legacy grants need the acknowledgement; malformed, repeated and
 * oversized input is a 400 page, never a server error.
 */
class ConsoleClientFormTest extends ConsoleServerTest {

    @Autowired
    private ClientManagement clients;

    @Autowired
    private AuditTrail trail;

    @Test
    void whenAnOperatorCreatesAClientThenItHasEverySettingAndItsSecretWorksOnce() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String clientId = "form-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, List<String>> form = form(console, "/admin/clients/@new");
        form.putAll(Map.of("clientId", List.of(clientId), "clientName", List.of("Form " + clientId),
                "grantTypes", List.of("client_credentials", "authorization_code", "refresh_token"),
                "authMethods", List.of("client_secret_basic"),
                "redirectUris", List.of("https://app.example.test/cb\n\n  https://app.example.test/cb2  "),
                "scopes", List.of("read", "openid"), "serviceRoles", List.of("USER"),
                "accessTokenTtlSeconds", List.of("600"), "requirePushedAuthorizationRequests", List.of("true"),
                "requireConsent", List.of("true")));
        form.remove("requirePkce");

        HttpResponse<String> created = console.post("/admin/clients/@new", form);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        String secret = created.body().replaceAll("(?s).*id=\"client-secret\">([^<]+)<.*", "$1");
        assertThat(secret).hasSizeGreaterThan(30).doesNotContain("<");

        ClientView stored = clients.get(clientId);
        assertThat(stored.grantTypes()).containsExactlyInAnyOrder("client_credentials", "authorization_code",
                "refresh_token");
        assertThat(stored.redirectUris()).containsExactly("https://app.example.test/cb", "https://app.example.test/cb2");
        assertThat(stored.scopes()).containsExactlyInAnyOrder("read", "openid");
        assertThat(stored.accessTokenTtlSeconds()).isEqualTo(600);
        assertThat(stored.requirePushedAuthorizationRequests()).isTrue();
        assertThat(stored.requirePkce()).as("unticked").isFalse();
        assertThat(tokenStatus(clientId, secret)).isEqualTo(200);
        assertThat(tokenStatus(clientId, secret + "x")).isEqualTo(401);
        assertThat(console.get("/admin/clients/" + clientId).body()).doesNotContain(secret);

        trail.flushAll();
        assertThat(jdbc.sql("select username from audit_event where type = 'client.created' and client_id = ?")
                .param(clientId).query(String.class).list()).containsExactly(operator.username());
    }

    @Test
    void whenTheFormBreaksRulesThenNothingIsSavedAndEachFieldSaysWhy() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String clientId = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, List<String>> form = form(console, "/admin/clients/@new");
        form.putAll(Map.of("clientId", List.of(clientId), "clientName", List.of("Bad"),
                "redirectUris", List.of("http://evil.example/cb"), "scopes", List.of("no-such-scope"),
                "accessTokenTtlSeconds", List.of("soon"), "jwks", List.of("{not json")));

        HttpResponse<String> refused = console.post("/admin/clients/@new", form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"problem\"", "accessTokenTtlSeconds", "is a whole number", "jwks");
        assertThat(refused.body()).as("what was typed stays").contains("http://evil.example/cb");
        assertThat(exists(clientId)).isFalse();

        // numbers and JSON right: the service's own rules speak next
        form.put("accessTokenTtlSeconds", List.of("600"));
        form.put("jwks", List.of(""));
        HttpResponse<String> stillRefused = console.post("/admin/clients/@new", form);
        assertThat(stillRefused.statusCode()).isEqualTo(400);
        assertThat(stillRefused.body()).contains("redirectUris", "unknown scope");
        assertThat(exists(clientId)).isFalse();
    }

    @Test
    void whenALegacyGrantIsTickedThenItNeedsTheAcknowledgement() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String clientId = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, List<String>> form = form(console, "/admin/clients/@new");
        form.putAll(Map.of("clientId", List.of(clientId), "clientName", List.of("Legacy " + clientId),
                "grantTypes", List.of("password"), "scopes", List.of("read")));
        form.remove("legacyAcknowledged");
        HttpResponse<String> refused = console.post("/admin/clients/@new", form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("OAuth 2.1");
        assertThat(exists(clientId)).isFalse();

        form.put("legacyAcknowledged", List.of("true"));
        assertThat(console.post("/admin/clients/@new", form).statusCode()).isEqualTo(200);
        assertThat(clients.get(clientId).grantTypes()).containsExactly("password");
    }

    @Test
    void whenAnOperatorEditsAClientThenEverySettingIsReplacedAndUntickedBoxesTurnOff() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String clientId = "edit-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, List<String>> create = form(console, "/admin/clients/@new");
        create.putAll(Map.of("clientId", List.of(clientId), "clientName", List.of("Edit " + clientId),
                "grantTypes", List.of("client_credentials"), "scopes", List.of("read", "write"),
                "serviceRoles", List.of("USER"), "introspectionAllowed", List.of("true")));
        assertThat(console.post("/admin/clients/@new", create).statusCode()).isEqualTo(200);

        String editPath = "/admin/clients/" + clientId + "/edit";
        HttpResponse<String> page = console.get(editPath);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"Edit " + clientId + "\"", "id=\"introspectionAllowed\" checked");
        Map<String, List<String>> edit = form(console, editPath);
        edit.put("clientName", List.of("Renamed " + clientId));
        edit.put("scopes", List.of("read"));
        edit.remove("introspectionAllowed");
        HttpResponse<String> saved = console.post(editPath, edit);
        assertThat(UserAgent.location(saved)).endsWith("/admin/clients/" + clientId);
        assertThat(console.follow(UserAgent.location(saved)).body()).contains("id=\"done\"");

        ClientView stored = clients.get(clientId);
        assertThat(stored.clientName()).isEqualTo("Renamed " + clientId);
        assertThat(stored.scopes()).containsExactly("read");
        assertThat(stored.introspectionAllowed()).isFalse();
        assertThat(stored.serviceRoles()).as("kept: the form sent it back").containsExactly("USER");
        assertThat(stored.hasSecret()).isTrue();
        trail.flushAll();
        assertThat(jdbc.sql("select username from audit_event where type = 'client.updated' and client_id = ?")
                .param(clientId).query(String.class).list()).containsExactly(operator.username());
    }

    @Test
    void whenInputIsMalformedRepeatedOrHugeThenABadRequestPageNeverAServerError() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String csrf = UserAgent.csrf(console.get("/admin/clients/@new").body());
        List<Map<String, List<String>>> attempts = List.of(
                Map.of("_csrf", List.of(csrf)),
                Map.of("_csrf", List.of(csrf), "clientName", List.of("a", "b"), "clientId", List.of("x", "y")),
                Map.of("_csrf", List.of(csrf), "clientName", List.of("n"), "requireDpop", List.of("maybe")),
                Map.of("_csrf", List.of(csrf), "clientName", List.of("n"), "grantTypes", List.of("\u0000", "nope")),
                Map.of("_csrf", List.of(csrf), "clientName", List.of("n"), "redirectUris",
                        List.of("https://a.example/" + "x".repeat(200_000))),
                Map.of("_csrf", List.of(csrf), "clientName", List.of("n"), "accessTokenTtlSeconds",
                        List.of("99999999999999999999")));
        for (Map<String, List<String>> attempt : attempts) {
            HttpResponse<String> response = console.post("/admin/clients/@new", attempt);
            assertThat(response.statusCode()).as(attempt.keySet().toString()).isIn(400, 413);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.ostiary");
        }
        assertThat(console.post("/admin/clients/@new", Map.of("clientName", List.of("no csrf"))).statusCode())
                .isEqualTo(403);
        assertThat(console.get("/admin/clients/no-such-" + UUID.randomUUID() + "/edit").statusCode()).isEqualTo(404);
    }

    /** The form as the page renders it: its inputs' names and values, ticked boxes only. */
    private static Map<String, List<String>> form(UserAgent console, String path) throws Exception {
        String page = console.get(path).body();
        Map<String, List<String>> form = new HashMap<>();
        form.put("_csrf", List.of(UserAgent.csrf(page)));
        var inputs = java.util.regex.Pattern.compile("<input([^>]*)>").matcher(page);
        while (inputs.find()) {
            String attributes = inputs.group(1);
            String name = attribute(attributes, "name");
            if (name == null || name.equals("_csrf")) {
                continue;
            }
            boolean box = attributes.contains("type=\"checkbox\"");
            if (box && !attributes.contains(" checked")) {
                continue;
            }
            String value = attribute(attributes, "value");
            form.merge(name, List.of(value == null ? "" : org.springframework.web.util.HtmlUtils.htmlUnescape(value)),
                    (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
        var areas = java.util.regex.Pattern.compile("(?s)<textarea[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</textarea>")
                .matcher(page);
        while (areas.find()) {
            form.put(areas.group(1), List.of(org.springframework.web.util.HtmlUtils.htmlUnescape(areas.group(2))));
        }
        var selected = java.util.regex.Pattern.compile("(?s)<select[^>]*name=\"([^\"]+)\".*?<option[^>]*value=\"([^\"]+)\"[^>]*selected")
                .matcher(page);
        while (selected.find()) {
            form.put(selected.group(1), List.of(selected.group(2)));
        }
        return form;
    }

    private static String attribute(String attributes, String name) {
        var match = java.util.regex.Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attributes);
        return match.find() ? match.group(1) : null;
    }

    private int tokenStatus(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private boolean exists(String clientId) {
        try {
            clients.get(clientId);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

}
