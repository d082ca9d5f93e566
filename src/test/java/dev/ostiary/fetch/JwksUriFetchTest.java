package dev.ostiary.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.JwksHost;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * M1 on a server with {@code ostiary.fetch.allow-http-loopback=true} (the development setting), so
 * that a loopback JWKS host can stand in for a client's: the fetch works, but redirects are not
 * followed, oversized documents are refused, garbage assertions fetch nothing, and a burst of
 * unknown {@code kid}s fetches at most once per refresh interval.
 */
class JwksUriFetchTest {

    private static StandaloneServer server;
    private static JwksHost host;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.fetch.allow-http-loopback=true",
                "--ostiary.fetch.max-size=16KB", "--ostiary.abuse.source-ip-threshold=0",
                // a rate-limit interval longer than any test here: fetch counts do not depend on speed
                "--ostiary.fetch.cache-ttl=2h", "--ostiary.fetch.min-refresh-interval=1h");
        host = JwksHost.start();
    }

    @AfterAll
    static void stop() {
        host.close();
        server.close();
    }

    private static String register(URI jwksUri) throws Exception {
        String admin = TokensClient.adminToken(server.baseUrl());
        String clientId = "jwks-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/api/clients"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"clientId":"%s","clientName":"Keys by URL","grantTypes":["client_credentials"],
                         "authMethods":["private_key_jwt"],"scopes":["read"],"serviceRoles":["USER"],
                         "jwksUri":"%s"}""".formatted(clientId, jwksUri))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return clientId;
    }

    private static HTTPResponse token(ClientAuthentication auth) throws Exception {
        return new TokenRequest(URI.create(server.baseUrl() + "/oauth2/token"), auth, new ClientCredentialsGrant(),
                new Scope("read")).toHTTPRequest().send();
    }

    private static PrivateKeyJWT assertion(String clientId, RSAKey key) throws Exception {
        return new PrivateKeyJWT(new ClientID(clientId), URI.create(server.baseUrl() + "/oauth2/token"),
                JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null);
    }

    private static RSAKey newKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    @Test
    void whenJwksUriIsLoopbackWithTheDevelopmentSettingThenKeysAreFetchedOnce() throws Exception {
        RSAKey key = newKey();
        String path = "/ok-" + UUID.randomUUID();
        host.serve(path, new JWKSet(key.toPublicJWK()).toString());
        String clientId = register(host.uri(path));

        HTTPResponse first = token(assertion(clientId, key));
        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(token(assertion(clientId, key)).getStatusCode()).isEqualTo(200);
        assertThat(host.hits(path)).isEqualTo(1);
    }

    @Test
    void whenJwksUriRedirectsThenItIsNotFollowed() throws Exception {
        RSAKey key = newKey();
        String target = "/target-" + UUID.randomUUID();
        String path = "/redirect-" + UUID.randomUUID();
        host.serve(target, new JWKSet(key.toPublicJWK()).toString()).redirect(path, host.uri(target));
        String clientId = register(host.uri(path));

        HTTPResponse response = token(assertion(clientId, key));
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(host.hits(path)).isEqualTo(1);
        assertThat(host.hits(target)).isZero();
    }

    @Test
    void whenJwksDocumentIsTooLargeThenRefused() throws Exception {
        RSAKey key = newKey();
        String path = "/large-" + UUID.randomUUID();
        // the client's real key, padded past the 16 KB cap with 40 more keys
        StringBuilder keys = new StringBuilder(key.toPublicJWK().toJSONString());
        for (int i = 0; i < 40; i++) {
            keys.append(',').append(newKey().toPublicJWK().toJSONString());
        }
        String document = "{\"keys\":[" + keys + "]}";
        assertThat(document.length()).isGreaterThan(16 * 1024);
        host.serve(path, document);
        String clientId = register(host.uri(path));

        HTTPResponse response = token(assertion(clientId, key));
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(host.hits(path)).isEqualTo(1);
    }

    @Test
    void whenAssertionIsGarbageThenJwksIsNotFetched() throws Exception {
        RSAKey key = newKey();
        String path = "/garbage-" + UUID.randomUUID();
        host.serve(path, new JWKSet(key.toPublicJWK()).toString());
        String clientId = register(host.uri(path));
        long exp = System.currentTimeMillis() / 1000 + 300;
        String tokenUrl = server.baseUrl() + "/oauth2/token";
        for (String claims : new String[] {
                // the review's probe, but naming another client, another audience, or expired
                "{\"iss\":\"other\",\"sub\":\"%s\",\"aud\":\"%s\",\"exp\":%d,\"jti\":\"j1\"}".formatted(clientId, tokenUrl, exp),
                "{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":\"https://elsewhere.example\",\"exp\":%d,\"jti\":\"j2\"}"
                        .formatted(clientId, clientId, exp),
                "{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":\"%s\",\"exp\":%d,\"jti\":\"j3\"}".formatted(clientId, clientId,
                        tokenUrl, exp - 3600) }) {
            String garbage = b64("{\"alg\":\"RS256\"}") + "." + b64(claims) + ".AAAA";
            assertThat(rawToken(clientId, garbage)).isEqualTo(401);
        }
        assertThat(rawToken(clientId, "not-a-jwt")).isEqualTo(401);
        assertThat(rawToken(clientId, b64("{\"alg\":\"none\"}") + "." + b64("{}") + ".")).isEqualTo(401);
        assertThat(host.hits(path)).isZero();
    }

    @Test
    void whenManyAssertionsNameUnknownKidsThenTheJwksIsFetchedAtMostOncePerInterval() throws Exception {
        RSAKey key = newKey();
        String path = "/burst-" + UUID.randomUUID();
        host.serve(path, new JWKSet(key.toPublicJWK()).toString());
        String clientId = register(host.uri(path));
        assertThat(token(assertion(clientId, key)).getStatusCode()).isEqualTo(200);
        RSAKey stranger = newKey();
        for (int i = 0; i < 30; i++) {
            RSAKey withRandomKid = new RSAKey.Builder(stranger).keyID(UUID.randomUUID().toString()).build();
            assertThat(token(assertion(clientId, withRandomKid)).getStatusCode()).isEqualTo(401);
        }
        // the first fetch, and at most the rate limiter's allowance (two) inside one interval
        assertThat(host.hits(path)).isBetween(1, 3);
    }

    private static int rawToken(String clientId, String assertion) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                        + "&client_assertion=" + assertion)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
