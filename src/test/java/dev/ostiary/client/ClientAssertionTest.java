package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/** Client authentication by signed assertion (RFC 7523): private_key_jwt and client_secret_jwt, through the Nimbus SDK. */
class ClientAssertionTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private String admin() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private String register(String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin/api/clients"))
                .header("Authorization", "Bearer " + admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    private String keyClient(JWK publicKey) throws Exception {
        String clientId = "keyed-" + UUID.randomUUID().toString().substring(0, 8);
        register("""
                {"clientId":"%s","clientName":"Keyed service","grantTypes":["client_credentials"],
                 "authMethods":["private_key_jwt"],"scopes":["read"],"serviceRoles":["USER"],
                 "jwks":{"keys":[%s]}}""".formatted(clientId, publicKey.toJSONString()));
        return clientId;
    }

    private HTTPResponse token(ClientAuthentication auth) throws Exception {
        return new TokenRequest(uri("/oauth2/token"), auth, new ClientCredentialsGrant(), new Scope("read"))
                .toHTTPRequest().send();
    }

    @Test
    void privateKeyJwtWithRsaKeyGetsATokenAndAReplayedAssertionIsRefused() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        String clientId = keyClient(key.toPublicJWK());
        PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(clientId), uri("/oauth2/token"), JWSAlgorithm.RS256,
                key.toRSAPrivateKey(), key.getKeyID(), null);

        HTTPResponse first = token(assertion);
        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(TokenResponse.parse(first).indicatesSuccess()).isTrue();

        HTTPResponse replay = token(assertion);
        assertThat(replay.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(replay).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @Test
    void privateKeyJwtWithEcKeyAndIssuerAsAudienceWorks() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        String clientId = keyClient(key.toPublicJWK());
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(clientId),
                new Audience(baseUrl()));
        PrivateKeyJWT assertion = new PrivateKeyJWT(claims, JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(),
                null);
        assertThat(token(assertion).getStatusCode()).isEqualTo(200);
    }

    @Test
    void assertionsSignedByAnotherKeyOrForAnotherAudienceOrLivingTooLongAreRefused() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        RSAKey other = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        String clientId = keyClient(key.toPublicJWK());
        ClientID id = new ClientID(clientId);

        PrivateKeyJWT wrongKey = new PrivateKeyJWT(id, uri("/oauth2/token"), JWSAlgorithm.RS256, other.toRSAPrivateKey(),
                key.getKeyID(), null);
        PrivateKeyJWT wrongAudience = new PrivateKeyJWT(id, URI.create("https://other.example/token"),
                JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null);
        Date now = new Date();
        JWTAuthenticationClaimsSet longLived = new JWTAuthenticationClaimsSet(id, List.of(new Audience(baseUrl())),
                new Date(now.getTime() + 3_600_000), null, now, new JWTID());
        PrivateKeyJWT tooLong = new PrivateKeyJWT(longLived, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(),
                null);
        for (PrivateKeyJWT assertion : List.of(wrongKey, wrongAudience, tooLong)) {
            HTTPResponse response = token(assertion);
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
        }
    }

    @Test
    void clientSecretJwtWorksAndItsSecretIsStoredOnlyHashedAndEncrypted() throws Exception {
        String clientId = "hmac-" + UUID.randomUUID().toString().substring(0, 8);
        String body = register("""
                {"clientId":"%s","clientName":"HMAC service","grantTypes":["client_credentials"],
                 "authMethods":["client_secret_jwt"],"scopes":["read"]}""".formatted(clientId));
        String secret = body.replaceAll(".*\"clientSecret\":\"([^\"]+)\".*", "$1");
        ClientSecretJWT assertion = new ClientSecretJWT(new ClientID(clientId), uri("/oauth2/token"),
                JWSAlgorithm.HS256, new Secret(secret));
        assertThat(token(assertion).getStatusCode()).isEqualTo(200);
        String stored = jdbc.sql("select to_jsonb(c)::text from client c where client_id = ?").param(clientId)
                .query(String.class).single();
        assertThat(stored).doesNotContain(secret);
    }

    @Test
    void assertionsAuthenticateAtIntrospectionToo() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        String clientId = keyClient(key.toPublicJWK());
        String token = TokenResponse.parse(token(new PrivateKeyJWT(new ClientID(clientId), uri("/oauth2/token"),
                JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null))).toSuccessResponse().getTokens()
                .getAccessToken().getValue();
        HTTPResponse introspection = new TokenIntrospectionRequest(uri("/oauth2/introspect"),
                new PrivateKeyJWT(new ClientID(clientId), uri("/oauth2/introspect"), JWSAlgorithm.RS256,
                        key.toRSAPrivateKey(), key.getKeyID(), null),
                new com.nimbusds.oauth2.sdk.token.BearerAccessToken(token)).toHTTPRequest().send();
        assertThat(introspection.getStatusCode()).as(introspection.getBody()).isEqualTo(200);
        assertThat(TokenIntrospectionResponse.parse(introspection).toSuccessResponse().isActive()).isTrue();
    }
}
