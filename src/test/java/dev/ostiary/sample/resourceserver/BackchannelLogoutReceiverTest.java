package dev.ostiary.sample.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.JwksHost;

/**
 * The sample's back-channel logout receiver checks a logout token as a relying party must (OpenID
 * Connect Back-Channel Logout 1.0 §2.6): 200 for a valid one, 400 for anything else.
 */
class BackchannelLogoutReceiverTest {

    private static JwksHost issuer;
    private static RSAKey key;
    private static BackchannelLogoutReceiver receiver;
    private static String issuerUri;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        issuer = JwksHost.start();
        issuerUri = issuer.uri("").toString();
        issuer.serve("/.well-known/oauth-authorization-server", """
                {"issuer":"%s","jwks_uri":"%s"}""".formatted(issuerUri, issuer.uri("/jwks")));
        issuer.serve("/jwks", new JWKSet(key.toPublicJWK()).toString());
        receiver = new BackchannelLogoutReceiver(new SampleApiProperties(issuerUri, "demo-api", Duration.ofMinutes(5),
                Duration.ofSeconds(10), "web-app", "http://localhost:8081", "Sample API"));
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static String token(String type, UnaryOperator<JWTClaimsSet.Builder> edit) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuerUri).audience("web-app")
                .subject("alice").claim("sid", "s1").issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 120_000)).jwtID(UUID.randomUUID().toString())
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                .type(new JOSEObjectType(type)).build(), edit.apply(claims).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static int status(String token) {
        return receiver.logout(token).getStatusCode().value();
    }

    @Test
    void whenLogoutTokenIsValidThenOk() throws Exception {
        assertThat(status(token("logout+jwt", c -> c))).isEqualTo(200);
    }

    @Test
    void whenAnythingIsWrongThenBadRequest() throws Exception {
        assertThat(status(token("at+jwt", c -> c))).as("typ").isEqualTo(400);
        assertThat(status(token("logout+jwt", c -> c.audience("another-app")))).as("aud").isEqualTo(400);
        assertThat(status(token("logout+jwt", c -> c.issuer("https://evil.example")))).as("iss").isEqualTo(400);
        assertThat(status(token("logout+jwt", c -> c.claim("nonce", "n")))).as("nonce").isEqualTo(400);
        assertThat(status(token("logout+jwt", c -> c.claim("events", Map.of())))).as("events").isEqualTo(400);
        assertThat(status(token("logout+jwt", c -> c.expirationTime(new Date(System.currentTimeMillis() - 600_000)))))
                .as("exp").isEqualTo(400);
        assertThat(status("not-a-jwt")).isEqualTo(400);
    }
}
