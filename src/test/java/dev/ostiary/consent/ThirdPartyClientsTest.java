package dev.ostiary.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;

/**
 * M6: a client registered by a user (or by dynamic registration) cannot pass for another, always
 * asks for consent, and the consent and login pages say where the user is sent, who registered it,
 * and that nobody verified it.
 */
class ThirdPartyClientsTest extends ServerTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CLIENT_ID = Pattern.compile("id=\"client-id\">([^<]+)<");
    private static final String PHISHING_CALLBACK = "https://attacker.example/cb";

    private final HttpClient http = HttpClient.newHttpClient();

    private static HttpResponse<String> register(UserAgent agent, String name, String scope) throws Exception {
        Matcher csrf = CSRF.matcher(agent.get("/account/applications/new").body());
        assertThat(csrf.find()).isTrue();
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("clientName", List.of(name));
        form.put("grantTypes", List.of("authorization_code"));
        form.put("redirectUris", List.of(PHISHING_CALLBACK));
        form.put("scopes", List.of(scope));
        form.put("authentication", List.of("secret"));
        form.put("_csrf", List.of(csrf.group(1)));
        return agent.post("/account/applications", form);
    }

    /** alice's look-alike app, registered by a user of the test's own. */
    private String selfRegisteredApp(String owner) throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(owner, "password");
        HttpResponse<String> created = register(agent, "Shop " + UUID.randomUUID(), "openid");
        Matcher id = CLIENT_ID.matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();
        return id.group(1);
    }

    private static String authorize(String clientId, String scope) {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + PHISHING_CALLBACK
                + "&scope=" + scope + "&state=s1" + Pkce.s256().query();
    }

    @Test
    void whenSelfRegisteredClientAsksOnlyOpenidThenConsentIsStillShown() throws Exception {
        String clientId = selfRegisteredApp(newUser("USER"));
        UserAgent victim = new UserAgent(baseUrl());
        victim.login(newUser("USER"), "password");

        HttpResponse<String> response = victim.follow(authorize(clientId, "openid"));
        // no code went to the attacker's redirect: the consent page is shown instead
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("submit-consent");
    }

    @Test
    void whenFirstPartyClientAsksOnlyOpenidThenNoConsentIsNeeded() throws Exception {
        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        HttpResponse<String> response = user.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=http://127.0.0.1:18999/callback&scope=openid&state=s1" + Pkce.s256().query());
        assertThat(UserAgent.isRedirect(response)).isTrue();
        assertThat(UserAgent.location(response)).startsWith("http://127.0.0.1:18999/callback?code=");
    }

    @Test
    void whenSelfRegisteredClientIsShownThenConsentNamesItsHostAndOwner() throws Exception {
        String owner = newUser("USER");
        String clientId = selfRegisteredApp(owner);
        UserAgent victim = new UserAgent(baseUrl());
        // the login page already says it
        victim.get(authorize(clientId, "openid"));
        HttpResponse<String> login = victim.get("/login");
        assertThat(login.body()).contains("Not verified", "id=\"registered-by\">" + owner + "<",
                "id=\"redirect-host\">attacker.example<");

        victim.login(newUser("USER"), "password");
        HttpResponse<String> consent = victim.follow(authorize(clientId, "openid"));
        assertThat(consent.body()).contains("submit-consent", "Not verified",
                "id=\"registered-by\">" + owner + "<", "id=\"redirect-host\">attacker.example<");

        // a first-party client's page has the host but no warning
        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        HttpResponse<String> firstParty = user.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=http://127.0.0.1:18999/callback&scope=read&state=s1" + Pkce.s256().query());
        assertThat(firstParty.body()).contains("submit-consent", "id=\"redirect-host\">127.0.0.1:18999<")
                .doesNotContain("Not verified");
    }

    @Test
    void whenNameDuplicatesAnExistingClientThenRefused() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        // the demo's first-party "Demo web app", in other case and spacing
        for (String name : List.of("demo  WEB app", "DemoWebApp", "Ｄｅｍｏ web app")) {
            HttpResponse<String> response = register(agent, name, "openid");
            assertThat(response.body()).as(name).contains("is already used by another application")
                    .doesNotContain("id=\"client-id\"");
        }
        assertThat(register(agent, "Ostiary Account", "openid").body()).contains("is reserved");

        // and through dynamic registration
        String admin = TokensClient.adminToken(baseUrl());
        String initial = http.send(HttpRequest.newBuilder(uri("/admin/api/registration-tokens"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\":600}")).build(),
                HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"initialAccessToken\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth2/register"))
                .header("Authorization", "Bearer " + initial).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"client_name":"Demo Web App","redirect_uris":["https://attacker.example/cb"]}""")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(400);
        assertThat(registered.body()).contains("\"error\":\"invalid_client_metadata\"", "already used");
    }

    /**
     * Trial F4: names that read like a first-party client's name or client id were accepted. Now
     * compared after folding case, spaces, punctuation, accents and Cyrillic/Greek look-alikes.
     */
    @Test
    void whenNameImitatesAFirstPartyClientThenRefused() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        for (String name : List.of(
                "D\u0435mo web app",            // Cyrillic small ie
                "D\u0415MO WEB APP",            // Cyrillic capital ie
                "Dem\u03bf web app",            // Greek small omicron
                "D\u00e9mo web app",            // an accent
                "Dem0 web app",                  // a digit for a letter
                "Demo-web_app.",                 // punctuation
                "web-app", "Web App", "trusted-app", "Trusted app", "svc-client", "SVC client", "demo-api",
                "\u0455vc-client",              // Cyrillic dze
                "0stiary")) {
            HttpResponse<String> response = register(agent, name, "openid");
            assertThat(response.body()).as(name).containsAnyOf("is already used by another application", "is reserved")
                    .doesNotContain("id=\"client-id\"");
        }
        // a name of its own is still fine
        HttpResponse<String> own = register(agent, "Web app of " + UUID.randomUUID(), "openid");
        assertThat(own.body()).contains("id=\"client-id\"");
    }
}
