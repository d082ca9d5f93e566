package dev.ostiary.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * Signed request objects (RFC 9101) end to end, Nimbus as the client: a valid object signed with the
 * client's own key leads to a code with the object's state; a bad one (unsigned, another key, not for
 * us, expired, replayed, contradicted outside) is {@code invalid_request_object}, at the authorization
 * endpoint and at PAR; a client that must sign is refused a plain request.
 */
class SignedRequestObjectsTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/jar-callback";

    private String clientId;
    private RSAKey key;
    private UserAgent agent;

    @BeforeEach
    void signingClientAndSignedInUser() throws Exception {
        clientId = "jar-" + UUID.randomUUID().toString().substring(0, 8);
        key = new RSAKeyGenerator(2048).keyID("jar-1").generate();
        String secretHash = jdbc.sql("select secret_hash from client where client_id = 'web-app'").query(String.class)
                .single();
        jdbc.sql("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris,
                    scopes, require_consent, jwks, require_signed_request_object)
                values (gen_random_uuid(), ?, 'Signing app', ?, '{client_secret_basic}', '{authorization_code}',
                    ?::text[], '{read}', false, cast(? as jsonb), true)""")
                .params(clientId, secretHash, "{" + CALLBACK + "}", new JWKSet(key.toPublicJWK()).toString()).update();
        agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
    }

    private JWTClaimsSet.Builder claims(String state) {
        AuthorizationRequest inner = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope("read")).state(new State(state))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        return new JWTClaimsSet.Builder(inner.toJWTClaimsSet()).issuer(clientId).audience(baseUrl())
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).jwtID(UUID.randomUUID().toString());
    }

    private SignedJWT signed(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt;
    }

    private String authorize(JWT object, Consumer<AuthorizationRequest.Builder> outside) throws Exception {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(object, new ClientID(clientId))
                .responseType(ResponseType.CODE);
        outside.accept(request);
        HttpResponse<String> response = agent.follow("/oauth2/authorize?" + request.build().toQueryString());
        return response.statusCode() == 400 ? "error-page:" + response.body() : UserAgent.location(response);
    }

    private Map<String, String> answer(String location) {
        assertThat(location).startsWith(CALLBACK);
        return UserAgent.parameters(location, false);
    }

    @Test
    void whenSignedByTheClientsKeyThenCodeWithTheObjectsParameters() throws Exception {
        String location = authorize(signed(claims("inside").build(), key), outside -> { });

        assertThat(answer(location)).containsKey("code").containsEntry("state", "inside");
    }

    @Test
    void whenOutsideParametersDifferThenOnlyTheObjectsCount() throws Exception {
        String location = authorize(signed(claims("inside").build(), key),
                outside -> outside.state(new State("outside")).scope(new Scope("admin")));

        assertThat(answer(location)).containsKey("code").containsEntry("state", "inside");
    }

    @Test
    void whenBadObjectsThenInvalidRequestObjectAndNoCode() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("jar-1").generate();
        List<JWT> bad = List.of(
                new PlainJWT(claims("none").build()),
                signed(claims("other-key").build(), otherKey),
                signed(claims("aud").audience("https://elsewhere.example").build(), key),
                signed(claims("expired").expirationTime(new Date(System.currentTimeMillis() - 300_000)).build(), key),
                signed(claims("far").expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build(), key),
                signed(claims("iss").issuer("web-app").build(), key),
                signed(claims("rt").claim("response_type", "token").build(), key),
                signed(claims("cid").claim("client_id", "web-app").build(), key));
        for (JWT object : bad) {
            assertThat(answer(authorize(object, outside -> { }))).as(object.getJWTClaimsSet().getStringClaim("state"))
                    .containsEntry("error", "invalid_request_object").doesNotContainKey("code");
        }
    }

    @Test
    void whenBadObjectAndOutsideRedirectUriNotTheClientsThenErrorPageAndNoRedirect() throws Exception {
        String answer = authorize(new PlainJWT(claims("none").build()),
                outside -> outside.redirectionURI(URI.create("https://attacker.example/cb")));

        assertThat(answer).startsWith("error-page:").contains("invalid_request_object");
    }

    @Test
    void whenObjectReplayedThenInvalidRequestObject() throws Exception {
        SignedJWT object = signed(claims("once").build(), key);
        assertThat(answer(authorize(object, outside -> { }))).containsKey("code");

        assertThat(answer(authorize(object, outside -> { }))).containsEntry("error", "invalid_request_object")
                .doesNotContainKey("code");
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(jdbc.sql("select count(*) from audit_event"
                + " where type = 'authorization_request.refused' and client_id = ?").param(clientId).query(Long.class)
                .single()).isPositive());
    }

    @Test
    void whenClientMustSignAndSendsAPlainRequestThenRefusedAtItsRedirectUri() throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=plain&code_challenge_method=S256"
                + "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43));

        assertThat(answer(UserAgent.location(response))).containsEntry("error", "invalid_request_object")
                .containsEntry("state", "plain").doesNotContainKey("code");
    }

    @Test
    void whenPushedWithASignedObjectThenCodeByRequestUri() throws Exception {
        ClientSecretBasic credentials = new ClientSecretBasic(new ClientID(clientId), new Secret("web-secret"));
        AuthorizationRequest request = new AuthorizationRequest.Builder(signed(claims("pushed").build(), key),
                new ClientID(clientId)).responseType(ResponseType.CODE).build();
        PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(
                new PushedAuthorizationRequest(uri("/oauth2/par"), credentials, request).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("PAR push").isTrue();

        String location = UserAgent.location(agent.follow("/oauth2/authorize?client_id=" + clientId + "&request_uri="
                + java.net.URLEncoder.encode(response.toSuccessResponse().getRequestURI().toString(),
                        java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(answer(location)).containsKey("code").containsEntry("state", "pushed");
    }

    /** demo-fapi (docs/fapi.md): private_key_jwt at PAR, its request signed with its published demo key. */
    @Test
    void whenDemoFapiPushesASignedObjectThenCode() throws Exception {
        com.nimbusds.jose.jwk.ECKey demoKey = com.nimbusds.jose.jwk.ECKey.parse("""
                {"kty":"EC","crv":"P-256","kid":"demo-fapi-1","use":"sig","alg":"ES256",
                 "x":"d0d9sFFw8T0tW7ftE03npRr2hxzwLvdje5jai8PXIlk","y":"eEsTvLXdnvJoWjFanLmOzBEjuqitGIr8KILUsAkBidE",
                 "d":"fA87nhDabhXPGGlGV-G_caeIizGDErO8vESuS0rls-Y"}""");
        String callback = "http://127.0.0.1:18999/fapi-callback";
        AuthorizationRequest inner = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("demo-fapi"))
                .redirectionURI(URI.create(callback)).scope(new Scope("read")).state(new State("fapi"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        SignedJWT object = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("demo-fapi-1")
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(),
                new JWTClaimsSet.Builder(inner.toJWTClaimsSet()).issuer("demo-fapi").audience(baseUrl())
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                        .jwtID(UUID.randomUUID().toString()).build());
        object.sign(new com.nimbusds.jose.crypto.ECDSASigner(demoKey));
        var assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new ClientID("demo-fapi"), uri("/oauth2/par"),
                JWSAlgorithm.ES256, demoKey.toECPrivateKey(), "demo-fapi-1", null);
        PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
                uri("/oauth2/par"), assertion, new AuthorizationRequest.Builder(object, new ClientID("demo-fapi"))
                        .responseType(ResponseType.CODE).build()).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("PAR push").isTrue();

        HttpResponse<String> consentPage = agent.follow("/oauth2/authorize?client_id=demo-fapi&request_uri="
                + java.net.URLEncoder.encode(response.toSuccessResponse().getRequestURI().toString(),
                        java.nio.charset.StandardCharsets.UTF_8));
        assertThat(consentPage.statusCode()).as("demo-fapi asks for consent").isEqualTo(200);
        String location = UserAgent.location(agent.answerConsent(consentPage.body(), "demo-fapi", List.of("read")));

        assertThat(location).startsWith(callback);
        assertThat(UserAgent.parameters(location, false)).containsKey("code").containsEntry("state", "fapi");
    }

    @Test
    void whenPushedWithoutOrWithABadObjectThenInvalidRequestObject() throws Exception {
        ClientSecretBasic credentials = new ClientSecretBasic(new ClientID(clientId), new Secret("web-secret"));
        AuthorizationRequest plain = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope("read"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        AuthorizationRequest otherKey = new AuthorizationRequest.Builder(
                signed(claims("p").build(), new RSAKeyGenerator(2048).keyID("jar-1").generate()),
                new ClientID(clientId)).responseType(ResponseType.CODE).build();
        for (AuthorizationRequest request : List.of(plain, otherKey)) {
            PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(
                    new PushedAuthorizationRequest(uri("/oauth2/par"), credentials, request).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).isFalse();
            assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request_object");
        }
    }
}
