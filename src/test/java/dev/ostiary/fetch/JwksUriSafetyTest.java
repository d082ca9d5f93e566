package dev.ostiary.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.JwksHost;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * M1 with the default settings: a {@code jwks_uri} that is http, loopback or private is refused when
 * registered, and one that is already stored (registered before this check existed, or rebinding)
 * is never connected to.
 */
class JwksUriSafetyTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private String admin() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private HttpResponse<String> register(String clientId, String keys) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/clients"))
                .header("Authorization", "Bearer " + admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"clientId":"%s","clientName":"Keys by URL","grantTypes":["client_credentials"],
                         "authMethods":["private_key_jwt"],"scopes":["read"],"serviceRoles":["USER"],%s}"""
                        .formatted(clientId, keys))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenJwksUriResolvesToPrivateAddressThenRefused() throws Exception {
        for (String url : new String[] { "http://127.0.0.1:8081/jwks", "https://localhost/jwks", "https://10.0.0.5/jwks",
                "https://169.254.169.254/latest/meta-data", "https://[::1]/jwks", "https://[fd00:ec2::254]/",
                "https://100.64.0.1/jwks", "https://[::ffff:192.168.1.1]/jwks", "http://jwks.example/jwks" }) {
            HttpResponse<String> response = register("ssrf-" + UUID.randomUUID().toString().substring(0, 8),
                    "\"jwksUri\":\"" + url + "\"");
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.body()).as(url).contains("jwksUri");
        }
    }

    @Test
    void whenJwksUriPointsAtLoopbackThenNoRequestIsMade() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        try (JwksHost internal = JwksHost.start()) {
            internal.serve("/ssrf-probe", new JWKSet(key.toPublicJWK()).toString());
            String clientId = "stored-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(register(clientId, "\"jwks\":" + new JWKSet(key.toPublicJWK())).statusCode()).isEqualTo(201);
            // as if stored before registration checked it (or its name now resolves elsewhere)
            jdbc.sql("update client set jwks = null, jwks_uri = ? where client_id = ?")
                    .params(internal.uri("/ssrf-probe").toString(), clientId).update();

            HTTPResponse response = new TokenRequest(uri("/oauth2/token"), new PrivateKeyJWT(new ClientID(clientId),
                    uri("/oauth2/token"), JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null),
                    new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send();
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
            assertThat(internal.allHits()).isZero();
        }
    }
}
