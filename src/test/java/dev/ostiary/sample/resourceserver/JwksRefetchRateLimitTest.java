package dev.ostiary.sample.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import dev.ostiary.support.JwksHost;

/**
 * L9: the sample API's decoder refetches the JWKS for an unknown {@code kid} at most once per
 * {@code sample.jwks-min-refresh-interval}, so a burst of tokens with made-up {@code kid}s causes a
 * bounded number of fetches (it was one per token).
 */
class JwksRefetchRateLimitTest {

    @Test
    void whenABurstOfTokensNamesRandomKidsThenTheJwksIsFetchedABoundedNumberOfTimes() throws Exception {
        RSAKey published = new RSAKeyGenerator(2048).keyID("published").generate();
        try (JwksHost issuer = JwksHost.start()) {
            String issuerUri = issuer.uri("").toString();
            issuer.serve("/.well-known/oauth-authorization-server", """
                    {"issuer":"%s","jwks_uri":"%s"}""".formatted(issuerUri, issuer.uri("/jwks")));
            issuer.serve("/jwks", new JWKSet(published.toPublicJWK()).toString());
            // an interval longer than the test, so the bound does not depend on how fast it runs
            JwtDecoder decoder = ApiSecurity.decoder(new SampleApiProperties(issuerUri, "demo-api",
                    Duration.ofHours(2), Duration.ofHours(1), "web-app", "http://localhost:8081", "Sample API"));

            assertThat(decoder.decode(token(published, issuerUri)).getSubject()).isEqualTo("svc");
            int burst = 40;
            RSAKey stranger = new RSAKeyGenerator(2048).generate();
            for (int i = 0; i < burst; i++) {
                RSAKey withRandomKid = new RSAKey.Builder(stranger).keyID(UUID.randomUUID().toString()).build();
                String forged = token(withRandomKid, issuerUri);
                assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
            }
            System.out.printf("L9 figures: %d tokens with random kids -> %d JWKS fetches%n", burst, issuer.hits("/jwks"));
            // the first fetch, and at most the rate limiter's allowance (two) inside one interval
            assertThat(issuer.hits("/jwks")).isBetween(1, 3);
        }
    }

    private static String token(RSAKey key, String issuer) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), new JWTClaimsSet.Builder().issuer(issuer).subject("svc")
                .audience("demo-api").expirationTime(new Date(System.currentTimeMillis() + 300_000))
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString()).claim("client_id", "svc").build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
