package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/** The rotating JWK set on one instance of its own: next → active → retired → deleted, and revocation. */
class KeyLifecycleTest {

    private static StandaloneServer server;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.keys.rotation-enabled=false");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token() throws Exception {
        return TokensClient.clientCredentials(server.baseUrl(), "svc-client", "svc-secret", "read");
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static List<String> publishedKids() throws Exception {
        return JWKSet.load(URI.create(server.baseUrl() + "/oauth2/jwks").toURL()).getKeys().stream()
                .map(k -> k.getKeyID()).toList();
    }

    private static HttpResponse<String> admin(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String adminToken() throws Exception {
        return TokensClient.adminToken(server.baseUrl());
    }

    @Test
    void whenRotatedThreeTimesThenEachNewKeySignsAndEveryEarlierTokenStillVerifies() throws Exception {
        List<String> tokens = new ArrayList<>();
        tokens.add(token());
        for (int i = 0; i < 3; i++) {
            String before = kid(tokens.get(tokens.size() - 1));
            HttpResponse<String> rotated = admin("POST", "/admin/api/keys/rotate?algorithm=RS256", adminToken());
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            String after = token();
            assertThat(kid(after)).isNotEqualTo(before);
            assertThat(rotated.body()).contains(kid(after));
            tokens.add(after);
        }
        for (String token : tokens) {
            assertThat(publishedKids()).contains(kid(token));
            assertThat(Jwks.verify(server.baseUrl(), token).getSubject()).isEqualTo("svc-client");
        }
    }

    @Test
    void whenRotatedThenAFreshNextKeyIsPublishedBeforeItSigns() throws Exception {
        admin("POST", "/admin/api/keys/rotate?algorithm=RS256", adminToken());
        SigningKeyService keys = server.bean(SigningKeyService.class);
        List<SigningKeyService.KeyView> next = keys.describeKeys().stream()
                .filter(k -> k.state() == KeyState.next && k.algorithm() == SigningAlgorithm.RS256).toList();
        assertThat(next).hasSize(1);
        assertThat(publishedKids()).contains(next.get(0).kid());
        assertThat(kid(token())).isNotEqualTo(next.get(0).kid());

        String promoted = keys.rotateNow(SigningAlgorithm.RS256);
        assertThat(promoted).isEqualTo(next.get(0).kid());
        assertThat(kid(token())).isEqualTo(promoted);
    }

    @Test
    void whenKeyRevokedThenItLeavesJwksAndItsTokensStopVerifyingWhileOthersDoNot() throws Exception {
        String compromised = token();
        String kid = kid(compromised);
        HttpResponse<String> revoked = admin("POST", "/admin/api/keys/" + kid + "/revoke", adminToken());
        assertThat(revoked.statusCode()).isEqualTo(204);

        assertThat(publishedKids()).doesNotContain(kid);
        assertThat(TokensClient.active(server.baseUrl(), compromised)).isFalse();
        // an independent verifier no longer finds the key (not any failure: a network error would pass too)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jwks.verify(server.baseUrl(), compromised))
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class)
                .hasMessageContaining("no matching key");

        String fresh = token();
        assertThat(kid(fresh)).isNotEqualTo(kid);
        assertThat(Jwks.verify(server.baseUrl(), fresh).getSubject()).isEqualTo("svc-client");
        assertThat(TokensClient.active(server.baseUrl(), fresh)).isTrue();
    }

    @Test
    void whenKeyRevokedThenTokenIntrospectedActiveBeforeIsInactiveAtOnce() throws Exception {
        // introspected first, so its signature check is remembered (VerifiedSignatures)
        String compromised = token();
        assertThat(TokensClient.active(server.baseUrl(), compromised)).isTrue();
        assertThat(TokensClient.active(server.baseUrl(), compromised)).isTrue();

        HttpResponse<String> revoked = admin("POST", "/admin/api/keys/" + kid(compromised) + "/revoke", adminToken());
        assertThat(revoked.statusCode()).isEqualTo(204);

        assertThat(TokensClient.active(server.baseUrl(), compromised)).isFalse();
    }

    @Test
    void whenSigningKeyIsRevokedThenItsRowBackedTokensAreInactive() throws Exception {
        // a password-grant token has an authorization row (unlike client_credentials tokens)
        String rowBacked = TokensClient.request(server.baseUrl(), "trusted-app", "trusted-secret",
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")),
                com.nimbusds.oauth2.sdk.Scope.parse("read")).getAccessToken().getValue();
        String admin = adminToken();
        assertThat(TokensClient.active(server.baseUrl(), rowBacked)).isTrue();
        String kid = kid(rowBacked);

        HttpResponse<String> revoked = admin("POST", "/admin/api/keys/" + kid + "/revoke", admin);
        assertThat(revoked.statusCode()).isEqualTo(204);

        assertThat(TokensClient.active(server.baseUrl(), rowBacked)).isFalse();
        // its row is still there: what makes it inactive is the key, checked for every token
        assertThat(server.bean(JdbcClient.class).sql("select count(*) from oauth2_authorization"
                + " where access_token_hash = sha256(convert_to(?, 'UTF8'))").param(rowBacked)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void whenScheduleIsDueThenNextKeyThenPromotionThenRetiredKeyDeleted() throws Exception {
        JdbcClient jdbc = server.bean(JdbcClient.class);
        SigningKeyService keys = server.bean(SigningKeyService.class);
        KeysProperties properties = server.bean(KeysProperties.class);
        SigningKeySet keySet = server.bean(SigningKeySet.class);
        // make the ES256 key old: its period is nearly over
        jdbc.sql("delete from signing_key where algorithm = 'ES256' and state = 'next'").update();
        jdbc.sql("update signing_key set activated_at = now() - ?::interval where algorithm = 'ES256' and state = 'active'")
                .param(properties.rotationPeriod().minus(properties.nextKeyLeadTime()).plusMinutes(1).toSeconds()
                        + " seconds").update();
        String activeBefore = keySet.current().activeKey(SigningAlgorithm.ES256).orElseThrow().getKeyID();

        assertThat(keys.rotateIfDue()).isTrue();
        SigningKeyService.KeyView next = keys.describeKeys().stream()
                .filter(k -> k.state() == KeyState.next && k.algorithm() == SigningAlgorithm.ES256).findFirst()
                .orElseThrow();
        assertThat(publishedKids()).contains(next.kid());
        assertThat(keySet.current().activeKey(SigningAlgorithm.ES256).orElseThrow().getKeyID()).isEqualTo(activeBefore);

        // the period is over and the next key has been published for the whole lead time
        jdbc.sql("update signing_key set activated_at = now() - ?::interval where kid = ?")
                .params(properties.rotationPeriod().plusMinutes(1).toSeconds() + " seconds", activeBefore).update();
        jdbc.sql("update signing_key set created_at = now() - ?::interval where kid = ?")
                .params(properties.nextKeyLeadTime().plusMinutes(1).toSeconds() + " seconds", next.kid()).update();
        assertThat(keys.rotateIfDue()).isTrue();
        assertThat(keySet.current().activeKey(SigningAlgorithm.ES256).orElseThrow().getKeyID()).isEqualTo(next.kid());
        SigningKeyService.KeyView retired = keys.describeKeys().stream().filter(k -> k.kid().equals(activeBefore))
                .findFirst().orElseThrow();
        assertThat(retired.state()).isEqualTo(KeyState.retired);
        // published until every token it signed has expired: retirement + longest token lifetime + skew
        assertThat(Duration.between(retired.retiredAt(), retired.publishUntil()))
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5).plus(properties.clockSkew()));
        assertThat(publishedKids()).contains(activeBefore);

        jdbc.sql("update signing_key set publish_until = now() - interval '1 second' where kid = ?")
                .param(activeBefore).update();
        keys.rotateIfDue();
        assertThat(keys.describeKeys()).noneMatch(k -> k.kid().equals(activeBefore));
        keySet.reload();
        assertThat(publishedKids()).doesNotContain(activeBefore);
    }

    @Test
    void jwksIsCacheableWithEtagAndMaxAgeShorterThanNextKeyLeadTime() throws Exception {
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/jwks"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String cacheControl = first.headers().firstValue("Cache-Control").orElseThrow();
        assertThat(cacheControl).startsWith("public, max-age=");
        long maxAge = Long.parseLong(cacheControl.substring(cacheControl.indexOf('=') + 1));
        assertThat(Duration.ofSeconds(maxAge)).isLessThan(server.bean(KeysProperties.class).nextKeyLeadTime());

        HttpResponse<String> revalidated = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/oauth2/jwks")).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(first.body()).doesNotContain("\"d\"");
    }

    @Test
    void adminKeyApiNeedsAdminScopeAndRole() throws Exception {
        assertThat(admin("GET", "/admin/api/keys", null).statusCode()).isEqualTo(401);
        String aliceRead = TokensClient.request(server.baseUrl(), "trusted-app", "trusted-secret",
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")),
                com.nimbusds.oauth2.sdk.Scope.parse("read")).getAccessToken().getValue();
        // tokens for another API (aud demo-api) are no credential for the admin API at all
        assertThat(admin("GET", "/admin/api/keys", aliceRead).statusCode()).isEqualTo(401);
        String service = token();
        assertThat(admin("GET", "/admin/api/keys", service).statusCode()).isEqualTo(401);
        HttpResponse<String> list = admin("GET", "/admin/api/keys", adminToken());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"state\":\"active\"").doesNotContain("private");
    }
}
