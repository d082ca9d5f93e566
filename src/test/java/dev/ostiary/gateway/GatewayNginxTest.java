package dev.ostiary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.ForgedTokens;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * docs/examples/nginx-gateway.conf in a real nginx, in front of an upstream that echoes the headers it
 * got, with Ostiary of its own (it must trust nginx's address, 127.0.0.1, and enable the endpoint).
 * The recipe's cache is on: the revocation test waits it out (Awaitility, bounded by the cache time,
 * 5 s) after checking that Ostiary itself refuses the token at once.
 */
class GatewayNginxTest {

    private static final String BEARER_CHALLENGE = "Bearer realm=\"api\"";

    private static StandaloneServer ostiary;
    private static HttpServer api;
    private static NginxGateway nginx;
    private static final List<Map<String, List<String>>> seenByApi = new ArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ostiary = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.gateway.enabled=true",
                "--ostiary.trusted-proxies=127.0.0.1/32", "--ostiary.abuse.source-ip-threshold=0");
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            synchronized (seenByApi) {
                seenByApi.add(Map.copyOf(exchange.getRequestHeaders()));
            }
            StringBuilder body = new StringBuilder();
            for (String name : List.of("X-Ostiary-Subject", "X-Ostiary-Client-Id", "X-Ostiary-Scope", "X-Remote-User",
                    "Authorization", "X-Required-Scope")) {
                List<String> values = exchange.getRequestHeaders().get(name);
                body.append(name).append('=').append(values == null ? "" : String.join("|", values)).append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        api.start();
        nginx = NginxGateway.start(URI.create(ostiary.baseUrl()).getAuthority(),
                "127.0.0.1:" + api.getAddress().getPort(), true, "carol:{PLAIN}carol-pw\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (nginx != null) {
            nginx.close();
        }
        if (api != null) {
            api.stop(0);
        }
        if (ostiary != null) {
            ostiary.close();
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String serviceToken(String scope) throws Exception {
        return TokensClient.clientCredentials(ostiary.baseUrl(), "svc-client", "svc-secret", scope);
    }

    private static String challenge(HttpResponse<?> response) {
        List<String> values = response.headers().allValues("WWW-Authenticate");
        assertThat(values).as("one challenge; nginx log: %s", nginx.log()).hasSize(1);
        return values.get(0);
    }

    @Test
    void whenTokenIsValidWithTheScopeThenTheApiAnswersAndSeesWhoCalled() throws Exception {
        HttpResponse<String> response = get("/api/patients", "Authorization", "Bearer " + serviceToken("read"));
        assertThat(response.statusCode()).as(nginx.log()).isEqualTo(200);
        assertThat(response.body()).contains("X-Ostiary-Subject=svc-client\n", "X-Ostiary-Client-Id=svc-client\n",
                "X-Ostiary-Scope=read\n", "X-Remote-User=\n",
                // the token stays between the client, nginx and Ostiary
                "Authorization=\n", "X-Required-Scope=\n");
    }

    @Test
    void whenClientForgesTheUpstreamHeadersThenTheApiSeesOnlyOstiarysOrNone() throws Exception {
        HttpResponse<String> response = get("/api/patients", "Authorization", "Bearer " + serviceToken("read write"),
                "X-Ostiary-Subject", "bob", "X-Ostiary-Scope", "admin", "X-Remote-User", "bob");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("X-Ostiary-Subject=svc-client\n", "X-Ostiary-Scope=read write\n",
                "X-Remote-User=\n");
        // with a legacy Basic user, no token: none of the forged X-Ostiary-* headers gets through
        HttpResponse<String> basic = get("/legacy/patients", "Authorization", basic("carol", "carol-pw"),
                "X-Ostiary-Subject", "bob", "X-Ostiary-Client-Id", "trusted-app");
        assertThat(basic.statusCode()).as(nginx.log()).isEqualTo(200);
        assertThat(basic.body()).contains("X-Ostiary-Subject=\n", "X-Ostiary-Client-Id=\n", "X-Remote-User=carol\n");
    }

    @Test
    void whenClientSendsTheLocationsRequirementsItselfThenTheLocationsOwnApply() throws Exception {
        String read = serviceToken("read");
        HttpResponse<String> write = get("/api/write/patients", "Authorization", "Bearer " + read,
                "X-Required-Scope", "read", "X-Required-Audience", "demo-api");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(challenge(write)).endsWith("scope=\"write\"");
    }

    @Test
    void whenRequestIsAPostWithABodyThenTheCheckStillSeesOnlyTheHeaders() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/api/patients"))
                .header("Authorization", "Bearer " + serviceToken("read"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(60_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(nginx.log()).isEqualTo(200);
        assertThat(response.body()).contains("X-Ostiary-Subject=svc-client\n");
    }

    @Test
    void whenForgedHeadersComeWithoutATokenThenRefusedBeforeTheApi() throws Exception {
        int before = seenByApi.size();
        HttpResponse<String> response = get("/api/patients", "X-Ostiary-Subject", "bob");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo(BEARER_CHALLENGE);
        assertThat(seenByApi).hasSize(before);
    }

    @Test
    void whenNoTokenThen401WithABareBearerChallenge() throws Exception {
        HttpResponse<String> response = get("/api/patients");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo(BEARER_CHALLENGE);
    }

    @Test
    void whenTokenExpiredThen401InvalidToken() throws Exception {
        Instant now = Instant.now();
        // signed by Ostiary's own active key, so only its expiry is wrong
        String expired = ostiary.bean(JwtEncoder.class).encode(JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build(),
                JwtClaimsSet.builder().issuer(ostiary.baseUrl()).subject("svc-client").audience(List.of("demo-api"))
                        .issuedAt(now.minusSeconds(600)).notBefore(now.minusSeconds(600)).expiresAt(now.minusSeconds(1))
                        .id(StatelessAccessTokens.newJti(AuthorizationGrantType.CLIENT_CREDENTIALS))
                        .claim("client_id", "svc-client").claim("scope", "read").build())).getTokenValue();
        HttpResponse<String> response = get("/api/patients", "Authorization", "Bearer " + expired);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo(
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"");
    }

    @Test
    void whenTokenSignedByAnUnknownKeyThen401InvalidToken() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(ostiary.baseUrl(), "demo-api");
        HttpResponse<String> response = get("/api/patients", "Authorization", "Bearer " + ForgedTokens.unknownKid(claims));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo(
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token is invalid\"");
    }

    @Test
    void whenScopeIsMissingThen403InsufficientScopeWithTheScopeNeeded() throws Exception {
        HttpResponse<String> response = get("/api/write/patients", "Authorization", "Bearer " + serviceToken("read"));
        assertThat(response.statusCode()).as(nginx.log()).isEqualTo(403);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"api\", error=\"insufficient_scope\","
                + " error_description=\"The access token lacks a scope this API requires\", scope=\"write\"");
    }

    @Test
    void whenStatelessTokenIsRevokedThenOstiaryRefusesAtOnceAndTheGatewayOnceItsCacheExpires() throws Exception {
        String token = serviceToken("read");
        assertThat(get("/api/patients", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertRevokedAtTheGateway(token, "svc-client", "svc-secret");
    }

    @Test
    void whenRowBackedTokenIsRevokedThenOstiaryRefusesAtOnceAndTheGatewayOnceItsCacheExpires() throws Exception {
        String token = TokensClient.request(ostiary.baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), Scope.parse("read"))
                .getAccessToken().getValue();
        HttpResponse<String> allowed = get("/api/patients", "Authorization", "Bearer " + token);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("X-Ostiary-Subject=alice\n", "X-Ostiary-Client-Id=trusted-app\n");
        assertRevokedAtTheGateway(token, "trusted-app", "trusted-secret");
    }

    private static void assertRevokedAtTheGateway(String token, String clientId, String secret) throws Exception {
        assertThat(TokensClient.revoke(ostiary.baseUrl(), clientId, secret, token)).isEqualTo(200);
        // Ostiary's own answer has no cache in front of it
        RawHttp.Response direct = new RawHttp(ostiary.baseUrl()).get("/gateway/check", Map.of(
                "Authorization", "Bearer " + token, "X-Required-Scope", "read", "X-Required-Audience", "demo-api"));
        assertThat(direct.status()).isEqualTo(401);
        assertThat(direct.header("WWW-Authenticate")).isEqualTo(
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token was revoked\"");
        // nginx may answer from its cache until the entry expires (X-Accel-Expires: ostiary.gateway.cache-for)
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/patients", "Authorization", "Bearer " + token).statusCode() == 401);
        assertThat(challenge(get("/api/patients", "Authorization", "Bearer " + token)))
                .isEqualTo(direct.header("WWW-Authenticate"));
    }

    @Test
    void whenLegacyBasicUserOrTokenThenEitherPassesAndNeitherIsRefusedWithBothChallenges() throws Exception {
        assertThat(get("/legacy/patients", "Authorization", basic("carol", "carol-pw")).statusCode()).isEqualTo(200);
        assertThat(get("/legacy/patients", "Authorization", "Bearer " + serviceToken("read")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> wrongPassword = get("/legacy/patients", "Authorization", basic("carol", "nope"));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().allValues("WWW-Authenticate")).as(nginx.log()).isNotEmpty();
    }

    @Test
    void whenTheCheckEndpointIsCalledByAnyoneButTheProxyThen404() throws Exception {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + serviceToken("read"),
                "X-Required-Audience", "demo-api");
        RawHttp ostiaryHttp = new RawHttp(ostiary.baseUrl());
        assertThat(ostiaryHttp.get("/gateway/check", headers).status()).isEqualTo(200);
        // another address
        assertThat(ostiaryHttp.send("127.0.0.2", "GET", "/gateway/check", headers, null).status()).isEqualTo(404);
        // the proxy's address, forwarding for a client (as its public locations do)
        Map<String, String> forwarded = new java.util.HashMap<>(headers);
        forwarded.put("X-Forwarded-For", "203.0.113.7");
        assertThat(ostiaryHttp.get("/gateway/check", forwarded).status()).isEqualTo(404);
        // the endpoint's own matcher decides on the decoded path, as the container maps it
        assertThat(ostiaryHttp.get("/gateway/%63heck", headers).status()).isEqualTo(200);
        assertThat(ostiaryHttp.send("127.0.0.2", "GET", "/gateway/%63heck", headers, null).status()).isEqualTo(404);
        // and nginx does not let a client reach the internal location
        assertThat(get("/_ostiary_check", "Authorization", headers.get("Authorization")).statusCode()).isEqualTo(404);
    }

    @Test
    void whenHeadersRepeatOrTheLocationIsWrongThenNever500FromOstiary() throws Exception {
        String token = serviceToken("read");
        RawHttp ostiaryHttp = new RawHttp(ostiary.baseUrl());
        RawHttp.Response twice = ostiaryHttp.sendLines("127.0.0.1", "GET", "/gateway/check", List.of(
                "Authorization: Bearer " + token, "Authorization: Bearer " + token, "X-Required-Audience: demo-api"), null);
        assertThat(twice.status()).isEqualTo(401);
        assertThat(twice.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\", error=\"invalid_request\","
                + " error_description=\"The request carries more than one Authorization header\"");
        RawHttp.Response noAudience = ostiaryHttp.sendLines("127.0.0.1", "GET", "/gateway/check",
                List.of("Authorization: Bearer " + token), null);
        assertThat(noAudience.status()).isEqualTo(400);
        assertThat(noAudience.body()).contains("\"error\":\"invalid_request\"");
        RawHttp.Response twoScopes = ostiaryHttp.sendLines("127.0.0.1", "GET", "/gateway/check", List.of(
                "Authorization: Bearer " + token, "X-Required-Audience: demo-api", "X-Required-Scope: read",
                "X-Required-Scope: write"), null);
        assertThat(twoScopes.status()).isEqualTo(400);
        // through nginx a repeated Authorization header is nginx's own 400, before any check
        RawHttp.Response throughNginx = new RawHttp(nginx.baseUrl()).sendLines("127.0.0.1", "GET", "/api/patients",
                List.of("Authorization: Bearer " + token, "Authorization: Bearer " + token), null);
        assertThat(throughNginx.status()).isEqualTo(400);
    }

    @Test
    void whenTokenIsPresentedWithTheDPoPSchemeThenRefusedWithAClearError() throws Exception {
        HttpResponse<String> response = get("/api/patients", "Authorization", "DPoP " + serviceToken("read"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"api\", error=\"invalid_request\","
                + " error_description=\"This gateway accepts Bearer tokens only, not DPoP (RFC 9449)\"");
    }

    @Test
    void whenDPoPBoundTokenIsPresentedAsBearerThen401InvalidToken() throws Exception {
        Instant now = Instant.now();
        // signed by Ostiary's own key, bound to a key (cnf.jkt) the client does not prove here
        String bound = ostiary.bean(JwtEncoder.class).encode(JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build(),
                JwtClaimsSet.builder().issuer(ostiary.baseUrl()).subject("svc-client").audience(List.of("demo-api"))
                        .issuedAt(now).notBefore(now).expiresAt(now.plusSeconds(300))
                        .id(StatelessAccessTokens.newJti(AuthorizationGrantType.CLIENT_CREDENTIALS))
                        .claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))
                        .claim("client_id", "svc-client").claim("scope", "read").build())).getTokenValue();
        HttpResponse<String> response = get("/api/patients", "Authorization", "Bearer " + bound);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"api\", error=\"invalid_token\", error_description="
                + "\"The access token is bound to a key (cnf); this gateway accepts unbound Bearer tokens only\"");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
