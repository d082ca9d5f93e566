package dev.ostiary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

import dev.ostiary.authorization.AccessTokenAuthorizations;
import dev.ostiary.support.ForgedTokens;
import dev.ostiary.support.TestClocks;
import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class GatewayCheckTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String API = "https://api.example.com";
    private static final Instant NOW = TestClocks.NOW;
    private static RSAKey key;

    /** The store's answers: revoked tokens listed, every other token active; missing tokens unknown. */
    private final Map<String, Boolean> invalidated = new HashMap<>();
    private final AccessTokenAuthorizations store = this::authorizationOf;

    @BeforeAll
    static void key() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    }

    private GatewayCheck check() throws Exception {
        // signature only, as the production decoder's own validators are not what this test is about
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
        decoder.setJwtValidator(jwt -> org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());
        return new GatewayCheck(decoder, store, Optional.of(ISSUER), Duration.ofSeconds(5), TestClocks.fixed());
    }

    private OAuth2Authorization authorizationOf(Jwt jwt) {
        Boolean revoked = invalidated.get(jwt.getTokenValue());
        if (revoked == null) {
            return null;
        }
        return OAuth2Authorization.withRegisteredClient(TestRegisteredClients.registeredClient().build())
                .principalName("alice").authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, jwt.getTokenValue(), jwt.getIssuedAt(),
                        jwt.getExpiresAt()), metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
                                revoked))
                .build();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(List.of(API, "other-api"))
                .issueTime(Date.from(NOW.minusSeconds(60))).notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(240))).jwtID("jti-1").claim("client_id", "web-app")
                .claim("scope", "read write");
    }

    private String issued(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        invalidated.put(jwt.serialize(), false);
        return jwt.serialize();
    }

    private static GatewayRequest bearer(String token, String scope) {
        return new GatewayRequest(List.of("Bearer " + token), scope == null ? List.of() : List.of(scope), List.of(API));
    }

    private static GatewayAnswer.Refused refused(GatewayAnswer answer) {
        assertThat(answer).isInstanceOf(GatewayAnswer.Refused.class);
        return (GatewayAnswer.Refused) answer;
    }

    @Test
    void whenTokenIsValidWithTheScopeThenAllowedWithSubjectClientAndScope() throws Exception {
        GatewayAnswer answer = check().check(bearer(issued(claims()), "read"));
        assertThat(answer).isEqualTo(new GatewayAnswer.Allowed("alice", "web-app", "read write", Duration.ofSeconds(5)));
    }

    @Test
    void whenTokenExpiresSoonerThanTheCacheTimeThenTheAnswerIsKeptOnlyUntilItExpires() throws Exception {
        GatewayAnswer answer = check().check(bearer(issued(claims().expirationTime(Date.from(NOW.plusSeconds(2)))), null));
        assertThat(answer.cacheFor()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void whenNoAuthorizationHeaderThenBareChallengeWithoutErrorCode() throws Exception {
        GatewayAnswer.Refused refused = refused(check().check(new GatewayRequest(List.of(), List.of(), List.of(API))));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.challenge("api")).isEqualTo("Bearer realm=\"api\"");
    }

    @Test
    void whenBasicCredentialsThenBareChallengeAsForNoBearerToken() throws Exception {
        GatewayAnswer.Refused refused = refused(check().check(new GatewayRequest(List.of("Basic YWxpY2U6cHc="),
                List.of(), List.of(API))));
        assertThat(refused.challenge("api")).isEqualTo("Bearer realm=\"api\"");
    }

    @Test
    void whenTokenExpiredThenInvalidToken() throws Exception {
        String token = issued(claims().expirationTime(Date.from(NOW)));
        GatewayAnswer.Refused refused = refused(check().check(bearer(token, "read")));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.challenge("api")).isEqualTo(
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"");
    }

    @Test
    void whenTokenNotValidYetBeyondTheLeewayThenInvalidTokenNotCached() throws Exception {
        String token = issued(claims().notBeforeTime(Date.from(NOW.plusSeconds(6))));
        GatewayAnswer.Refused refused = refused(check().check(bearer(token, null)));
        assertThat(refused.error()).isEqualTo("invalid_token");
        assertThat(refused.description()).isEqualTo("The access token is not valid yet");
        assertThat(refused.cacheFor()).isZero();
        assertThat(check().check(bearer(issued(claims().notBeforeTime(Date.from(NOW.plusSeconds(5)))), null)))
                .isInstanceOf(GatewayAnswer.Allowed.class);
    }

    @Test
    void whenTokenRevokedThenInvalidToken() throws Exception {
        String token = issued(claims());
        invalidated.put(token, true);
        assertThat(refused(check().check(bearer(token, "read"))).description()).isEqualTo("The access token was revoked");
        invalidated.remove(token);
        assertThat(refused(check().check(bearer(token, "read"))).description()).isEqualTo("The access token was revoked");
    }

    @Test
    void whenTokenSignedByAnUnknownKeyThenInvalidToken() throws Exception {
        GatewayAnswer.Refused refused = refused(check().check(bearer(ForgedTokens.unknownKid(claims().build()), "read")));
        assertThat(refused.error()).isEqualTo("invalid_token");
        assertThat(refused.description()).isEqualTo("The access token is invalid");
        assertThat(refused(check().check(bearer(ForgedTokens.unsigned(claims().build()), "read"))).error())
                .isEqualTo("invalid_token");
    }

    @Test
    void whenTokenFromAnotherIssuerThenInvalidToken() throws Exception {
        assertThat(refused(check().check(bearer(issued(claims().issuer("https://evil.example")), null))).description())
                .isEqualTo("The access token was issued by another server");
    }

    @Test
    void whenTokenMeantForAnotherApiThenInvalidToken() throws Exception {
        assertThat(refused(check().check(bearer(issued(claims().audience("other-api")), "read"))).description())
                .isEqualTo("The access token is not meant for this API");
        assertThat(refused(check().check(bearer(issued(claims().audience((String) null)), "read"))).description())
                .isEqualTo("The access token is not meant for this API");
    }

    @Test
    void whenScopeMissingThenInsufficientScope403WithTheScopeNeeded() throws Exception {
        GatewayAnswer.Refused refused = refused(check().check(bearer(issued(claims()), "read admin")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.challenge("api")).isEqualTo("Bearer realm=\"api\", error=\"insufficient_scope\","
                + " error_description=\"The access token lacks a scope this API requires\", scope=\"read admin\"");
    }

    @Test
    void whenScopeNameIsOnlyAPrefixOfAGrantedOneThenInsufficientScope() throws Exception {
        assertThat(refused(check().check(bearer(issued(claims().claim("scope", "readonly")), "read"))).error())
                .isEqualTo("insufficient_scope");
    }

    @Test
    void whenSubjectOrScopeIsNotVisibleAsciiThenRefusedRatherThanPassedOnMangled() throws Exception {
        for (JWTClaimsSet.Builder claims : List.of(claims().subject("j\u00fcrgen"), claims().subject("a\r\nX-Evil: 1"),
                claims().subject(null), claims().claim("client_id", "app\u4e2d"), claims().claim("scope", "read \u00e9crire"))) {
            assertThat(refused(check().check(bearer(issued(claims), null))).description())
                    .isEqualTo("The access token's subject, client or scope cannot be passed on in a header");
        }
    }

    @Test
    void whenTokenIsBoundToADPoPKeyThenRefusedAsBearer() throws Exception {
        String token = issued(claims().claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")));
        GatewayAnswer.Refused refused = refused(check().check(bearer(token, "read")));
        assertThat(refused.error()).isEqualTo("invalid_token");
        assertThat(refused.description())
                .isEqualTo("The access token is bound to a key (cnf); this gateway accepts unbound Bearer tokens only");
    }

    @Test
    void whenDPoPSchemeThenInvalidRequestAnswered401() throws Exception {
        GatewayAnswer.Refused refused = refused(check().check(new GatewayRequest(List.of("DPoP " + issued(claims())),
                List.of(), List.of(API))));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("invalid_request");
    }

    @Test
    void whenTwoAuthorizationHeadersThenInvalidRequestAnswered401() throws Exception {
        String token = issued(claims());
        GatewayAnswer.Refused refused = refused(check().check(new GatewayRequest(
                List.of("Bearer " + token, "Bearer " + token), List.of(), List.of(API))));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.challenge("api")).isEqualTo("Bearer realm=\"api\", error=\"invalid_request\","
                + " error_description=\"The request carries more than one Authorization header\"");
    }

    @Test
    void whenBearerValueIsNotAB64TokenThenInvalidToken() throws Exception {
        for (String value : List.of("Bearer", "Bearer ", "Bearer a\"b", "Bearer a b", "Bearer " + "a".repeat(8193))) {
            GatewayAnswer.Refused refused = refused(check().check(new GatewayRequest(List.of(value), List.of(),
                    List.of(API))));
            assertThat(refused.description()).as(value.length() > 40 ? "long" : value)
                    .isEqualTo("The access token is malformed");
        }
    }

    @Test
    void whenSchemeIsLowerCaseThenItIsStillBearer() throws Exception {
        assertThat(check().check(new GatewayRequest(List.of("bearer " + issued(claims())), List.of(), List.of(API))))
                .isInstanceOf(GatewayAnswer.Allowed.class);
    }

    @Test
    void whenLocationNamesNoAudienceOrRepeatsARequirementThenMisconfigured() throws Exception {
        String token = issued(claims());
        assertThat(check().check(new GatewayRequest(List.of("Bearer " + token), List.of(), List.of())))
                .isInstanceOf(GatewayAnswer.Misconfigured.class);
        assertThat(check().check(new GatewayRequest(List.of("Bearer " + token), List.of(), List.of(API, API))))
                .isInstanceOf(GatewayAnswer.Misconfigured.class);
        assertThat(check().check(new GatewayRequest(List.of("Bearer " + token), List.of("read", "write"), List.of(API))))
                .isInstanceOf(GatewayAnswer.Misconfigured.class);
        assertThat(check().check(new GatewayRequest(List.of("Bearer " + token), List.of("re\"ad"), List.of(API))))
                .isInstanceOf(GatewayAnswer.Misconfigured.class);
        assertThat(check().check(new GatewayRequest(List.of("Bearer " + token), List.of(" "), List.of(API))))
                .isInstanceOf(GatewayAnswer.Misconfigured.class);
    }

    @Test
    void whenCallerIsNotATrustedProxyOrTheEndpointIsOffThenNotAllowed() {
        GatewayCallers callers = new GatewayCallers(true, List.of("10.0.0.0/8", " 127.0.0.1 "));
        assertThat(callers.allowed("10.1.2.3")).isTrue();
        assertThat(callers.allowed("127.0.0.1")).isTrue();
        assertThat(callers.allowed("127.0.0.2")).isFalse();
        assertThat(callers.allowed("not-an-address")).isFalse();
        assertThat(callers.allowed(null)).isFalse();
        assertThat(new GatewayCallers(false, List.of("127.0.0.1")).allowed("127.0.0.1")).isFalse();
        assertThat(new GatewayCallers(true, List.of()).allowed("127.0.0.1")).isFalse();
    }
}
