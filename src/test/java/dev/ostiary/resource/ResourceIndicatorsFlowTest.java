package dev.ostiary.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.Tokens;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * RFC 8707 end to end, through the Nimbus SDK and the sample API: a sample API of the test's own,
 * whose resource identifier is the URL it listens at, is put in the resource catalog and given to the
 * demo clients; tokens asked for with {@code resource} are for it alone, and its 401 leads a client
 * that knows only its URL to a token it accepts (RFC 9728).
 */
class ResourceIndicatorsFlowTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";
    /** The demo data's sample API resource (the README's port): allowed to the demo clients, not ours. */
    private static final String DEMO_SAMPLE_API = "http://localhost:8081";
    private static final String ADMIN_API = "urn:ostiary:admin-api";
    private static SampleApi api;

    @Autowired
    AuditTrail trail;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void ownSampleApiInTheCatalog() throws Exception {
        if (api == null) {
            api = SampleApi.startAsOwnResource(baseUrl());
            Runtime.getRuntime().addShutdownHook(new Thread(api::close));
        }
        jdbc.sql("insert into resource (uri, name, scopes) values (?, 'Test sample API', '{read,write,admin}')"
                + " on conflict (uri) do nothing").param(resource()).update();
        jdbc.sql("update client set resources = array(select distinct r from unnest(resources || ?::text[]) r order by r)"
                + " where client_id in ('svc-client', 'trusted-app', 'web-app') and not (? = any(resources))")
                .param("{" + resource() + "}").param(resource()).update();
        // the catalog and the clients are cached, reloaded on PostgreSQL's notification
        await().atMost(Duration.ofSeconds(10)).until(() -> token("svc-client", "svc-secret", new ClientCredentialsGrant(),
                "read", resource()).indicatesSuccess());
    }

    private static String resource() {
        return api.baseUrl();
    }

    @Test
    void whenClientCredentialsNameAnAllowedResourceThenAudIsItAndTheApiAcceptsIt() throws Exception {
        String token = accessToken(token("svc-client", "svc-secret", new ClientCredentialsGrant(), "read", resource()));
        assertThat(Jwks.verify(baseUrl(), token).getAudience()).containsExactly(resource());
        assertThat(api.call("GET", "/api/doctors/1", token).statusCode()).isEqualTo(200);
    }

    @Test
    void whenTokenIsForAnotherResourceThenTheApiRefusesIt() throws Exception {
        String forDemoApi = accessToken(token("svc-client", "svc-secret", new ClientCredentialsGrant(), "read",
                DEMO_SAMPLE_API));
        assertThat(Jwks.verify(baseUrl(), forDemoApi).getAudience()).containsExactly(DEMO_SAMPLE_API);
        HttpResponse<String> refused = api.call("GET", "/api/doctors/1", forDemoApi);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("invalid_token", "resource_metadata=\"" + resource() + "/.well-known/oauth-protected-resource\"");
    }

    @Test
    void whenResourceUnknownNotAllowedRelativeOrWithFragmentThenInvalidTargetAudited() throws Exception {
        for (String resource : List.of("https://unknown.example", ADMIN_API, "api/doctors", resource() + "#x")) {
            HttpResponse<String> response = rawToken("svc-client", "svc-secret",
                    "grant_type=client_credentials&scope=read&resource=" + enc(resource));
            assertThat(response.statusCode()).as(resource).isEqualTo(400);
            assertThat(response.body()).as(resource).contains("\"error\":\"invalid_target\"");
        }
        trail.flushAll();
        assertThat(jdbc.sql("select details->>'resources' from audit_event where type = 'token.target_refused'"
                + " and client_id = 'svc-client'").query(String.class).list())
                .contains("https://unknown.example", ADMIN_API, resource() + "#x");
    }

    @Test
    void whenScopeIsNotAllowedAtTheResourceThenInvalidScope() throws Exception {
        TokenResponse response = token("trusted-app", "trusted-secret", bob(), "ostiary:admin", resource());
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_scope");
    }

    @Test
    void whenResourceRepeatedThenAudIsEachAndTheAdminApiWantsItsOwnAlone() throws Exception {
        String forBoth = accessToken(token("trusted-app", "trusted-secret", bob(), "read ostiary:admin", resource(),
                ADMIN_API));
        assertThat(Jwks.verify(baseUrl(), forBoth).getAudience()).containsExactlyInAnyOrder(resource(), ADMIN_API);
        assertThat(api.call("GET", "/api/doctors/1", forBoth).statusCode()).isEqualTo(200);
        assertThat(adminApi(forBoth)).isEqualTo(401);

        String forSampleApi = accessToken(token("trusted-app", "trusted-secret", bob(), "admin", resource()));
        assertThat(adminApi(forSampleApi)).isEqualTo(401);

        String forAdminApi = accessToken(token("trusted-app", "trusted-secret", bob(), "ostiary:admin", ADMIN_API));
        assertThat(Jwks.verify(baseUrl(), forAdminApi).getAudience()).containsExactly(ADMIN_API);
        assertThat(adminApi(forAdminApi)).isEqualTo(200);

        trail.flushAll();
        assertThat(jdbc.sql("select details->>'resources' from audit_event where type = 'token.issued'"
                + " and client_id = 'trusted-app' and username = 'bob'").query(String.class).list())
                .contains(resource() + " " + ADMIN_API, ADMIN_API);
    }

    @Test
    void whenCodeAndRefreshNarrowTheResourcesThenAudIsNarrowedAndWideningIsInvalidTarget() throws Exception {
        Pkce pkce = Pkce.s256();
        String code = code(newUser("USER"), pkce, resource(), DEMO_SAMPLE_API);
        Tokens tokens = token("web-app", "web-secret", redeem(code, pkce), null, resource()).toSuccessResponse()
                .getTokens();
        assertThat(Jwks.verify(baseUrl(), tokens.getAccessToken().getValue()).getAudience())
                .containsExactly(resource());
        assertThat(api.call("GET", "/api/doctors/1", tokens.getAccessToken().getValue()).statusCode()).isEqualTo(200);

        // a refresh keeps the authorization's resources, or narrows them: never more (RFC 8707 §2.2)
        RefreshTokenGrant refresh = new RefreshTokenGrant(tokens.getRefreshToken());
        Tokens kept = token("web-app", "web-secret", refresh, null).toSuccessResponse().getTokens();
        assertThat(Jwks.verify(baseUrl(), kept.getAccessToken().getValue()).getAudience())
                .containsExactlyInAnyOrder(resource(), DEMO_SAMPLE_API);
        RefreshTokenGrant next = new RefreshTokenGrant(kept.getRefreshToken() == null ? tokens.getRefreshToken()
                : kept.getRefreshToken());
        Tokens narrowed = token("web-app", "web-secret", next, null, DEMO_SAMPLE_API).toSuccessResponse().getTokens();
        assertThat(Jwks.verify(baseUrl(), narrowed.getAccessToken().getValue()).getAudience())
                .containsExactly(DEMO_SAMPLE_API);
    }

    @Test
    void whenCodeOrRefreshWidenTheResourcesThenInvalidTarget() throws Exception {
        Pkce pkce = Pkce.s256();
        String code = code(newUser("USER"), pkce, resource());
        TokenResponse widened = token("web-app", "web-secret", redeem(code, pkce), null, DEMO_SAMPLE_API);
        assertThat(widened.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_target");

        Pkce again = Pkce.s256();
        Tokens tokens = token("web-app", "web-secret", redeem(code(newUser("USER"), again, resource()), again), null)
                .toSuccessResponse().getTokens();
        assertThat(Jwks.verify(baseUrl(), tokens.getAccessToken().getValue()).getAudience())
                .containsExactly(resource());
        TokenResponse refreshWidened = token("web-app", "web-secret", new RefreshTokenGrant(tokens.getRefreshToken()),
                null, resource(), DEMO_SAMPLE_API);
        assertThat(refreshWidened.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_target");
    }

    @Test
    void whenAuthorizationRequestNamesAResourceNotAllowedThenInvalidTargetAtTheRedirectUri() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        for (String resource : List.of(ADMIN_API, resource() + "#x")) {
            HttpResponse<String> response = agent.follow(authorize(Pkce.s256(), resource));
            assertThat(response.statusCode()).as(resource).isEqualTo(302);
            assertThat(UserAgent.location(response)).startsWith(CALLBACK + "?");
            assertThat(UserAgent.parameters(UserAgent.location(response), false)).as(resource)
                    .containsEntry("error", "invalid_target");
        }
    }

    /**
     * What an MCP client does with nothing but the API's URL (RFC 9728 §5, RFC 8414, RFC 8707): the 401
     * names the protected resource metadata, which names the authorization server and the resource,
     * whose metadata names the token endpoint; the token asked for that resource is accepted.
     */
    @Test
    void whenClientKnowsOnlyTheApiUrlThenThe401LeadsToATokenItAccepts() throws Exception {
        HttpResponse<String> challenge = api.call("GET", "/api/doctors/1", null);
        assertThat(challenge.statusCode()).isEqualTo(401);
        Matcher metadataUrl = Pattern.compile("resource_metadata=\"([^\"]+)\"")
                .matcher(challenge.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(metadataUrl.find()).isTrue();

        JSONObject metadata = (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(
                http.send(HttpRequest.newBuilder(URI.create(metadataUrl.group(1))).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
        // §3.3: the resource in the document must be the one whose metadata was asked for
        assertThat(metadata.getAsString("resource")).isEqualTo(resource());
        @SuppressWarnings("unchecked")
        List<String> servers = (List<String>) metadata.get("authorization_servers");
        assertThat(servers).containsExactly(baseUrl());

        AuthorizationServerMetadata server = AuthorizationServerMetadata.resolve(new Issuer(servers.get(0)));
        TokenResponse response = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("svc-client"), new Secret("svc-secret")), new ClientCredentialsGrant(),
                Scope.parse("read"), List.of(URI.create(metadata.getAsString("resource"))), null).toHTTPRequest().send());
        assertThat(api.call("GET", "/api/doctors/1", accessToken(response)).statusCode()).isEqualTo(200);
    }

    private TokenResponse token(String clientId, String secret, AuthorizationGrant grant, String scope,
            String... resources) throws Exception {
        return TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), grant,
                scope == null ? null : Scope.parse(scope),
                resources.length == 0 ? null : java.util.Arrays.stream(resources).map(URI::create).toList(), null)
                .toHTTPRequest().send());
    }

    private static String accessToken(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString())
                .isTrue();
        return response.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    private static com.nimbusds.oauth2.sdk.AuthorizationGrant bob() {
        return dev.ostiary.support.TokensClient.bobGrant();
    }

    private HttpResponse<String> rawToken(String clientId, String secret, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int adminApi(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/keys")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String authorize(Pkce pkce, String... resources) {
        StringBuilder url = new StringBuilder("/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri="
                + CALLBACK + "&scope=read&state=st" + pkce.query());
        for (String resource : resources) {
            url.append("&resource=").append(enc(resource));
        }
        return url.toString();
    }

    /** Signs in as a fresh user, approves {@code read}, returns the code. */
    private String code(String user, Pkce pkce, String... resources) throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(user, "password");
        HttpResponse<String> page = agent.follow(authorize(pkce, resources));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String redirect = UserAgent.location(agent.answerConsent(page.body(), "web-app", List.of("read")));
        Map<String, String> parameters = UserAgent.parameters(redirect, false);
        assertThat(parameters).containsKey("code");
        return parameters.get("code");
    }

    private static AuthorizationCodeGrant redeem(String code, Pkce pkce) {
        return new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(CALLBACK), pkce.verifier());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
