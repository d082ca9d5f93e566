package dev.ostiary.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.replay.SeenJtis;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class RequestObjectVerifierTest {

    private static final String ISSUER = "https://ostiary.example";
    private static final Instant NOW = GrantFixtures.CLOCK.instant();
    private static final RSAKey KEY = generate();

    /** First use in memory, the same contract as PostgreSQL's insert … on conflict do nothing. */
    private final SeenJtis seen = new SeenJtis(null, GrantFixtures.CLOCK) {
        private final Set<String> used = new HashSet<>();

        @Override
        public boolean firstUse(Kind kind, String issuer, String jti, Instant expiresAt) {
            return used.add(kind + issuer + jti);
        }
    };

    private final RegisteredClient client = TestRegisteredClients.registeredClient()
            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            .clientSettings(ClientSettings.builder()
                    .setting("ostiary.client.jwks", new JWKSet(KEY.toPublicJWK()).toString()).build())
            .build();

    private final RequestObjectVerifier verifier = new RequestObjectVerifier(
            new ClientAssertionDecoders(null, seen, GrantFixtures.CLOCK, null, null), seen, GrantFixtures.CLOCK);

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("k1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(client.getClientId()).audience(ISSUER)
                .expirationTime(Date.from(NOW.plusSeconds(60))).jwtID("jti-1").claim("state", "s");
    }

    private static String signed(JWTClaimsSet claims, JOSEObjectType type, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type).build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        return signed(claims, new JOSEObjectType("oauth-authz-req+jwt"), KEY);
    }

    private void assertRefused(String object, String reason) {
        assertThatThrownBy(() -> verifier.verify(object, client, ISSUER, true))
                .isInstanceOf(RequestObjectVerifier.Refused.class).hasMessageContaining(reason);
    }

    @Test
    void whenSignedByTheClientsKeyThenItsClaims() throws Exception {
        assertThat(verifier.verify(signed(claims().build()), client, ISSUER, true).getStringClaim("state"))
                .isEqualTo("s");
    }

    @Test
    void whenUntypedOrJwtTypedThenAccepted() throws Exception {
        assertThat(verifier.verify(signed(claims().jwtID("a").build(), null, KEY), client, ISSUER, true)).isNotNull();
        assertThat(verifier.verify(signed(claims().jwtID("b").build(), JOSEObjectType.JWT, KEY), client, ISSUER, true))
                .isNotNull();
    }

    @Test
    void whenOtherTypeThenRefused() throws Exception {
        assertRefused(signed(claims().build(), new JOSEObjectType("dpop+jwt"), KEY), "signature or type");
    }

    @Test
    void whenUnsignedOrMacOrNotAJwtThenRefused() throws Exception {
        assertRefused(new PlainJWT(claims().build()).serialize(), "must be signed");
        SignedJWT mac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        mac.sign(new MACSigner(new byte[32]));
        assertRefused(mac.serialize(), "RS256, PS256 or ES256");
        assertRefused("not-a-jwt", "not a JWT");
    }

    @Test
    void whenSignedByAnotherKeyThenRefused() throws Exception {
        assertRefused(signed(claims().build(), new JOSEObjectType("oauth-authz-req+jwt"), generate()),
                "signature or type");
    }

    @Test
    void whenClaimsWrongThenRefusedWithTheRule() throws Exception {
        assertRefused(signed(claims().issuer("other").build()), "iss must be the client id");
        assertRefused(signed(claims().audience("https://elsewhere.example").build()), "aud must be");
        assertRefused(signed(claims().expirationTime(null).build()), "exp is required");
        assertRefused(signed(claims().expirationTime(Date.from(NOW.minus(Duration.ofSeconds(61)))).build()),
                "expired");
        assertRefused(signed(claims().expirationTime(Date.from(NOW.plus(Duration.ofMinutes(11)))).build()),
                "at most 10 minutes");
        assertRefused(signed(claims().notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(2)))).build()), "nbf");
        assertRefused(signed(claims().jwtID(null).build()), "jti is required");
        assertRefused(signed(claims().claim("client_id", "other").build()), "client_id");
    }

    @Test
    void whenExpiredWithinTheSkewThenStillAccepted() throws Exception {
        assertThat(verifier.verify(signed(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build()), client,
                ISSUER, true)).isNotNull();
    }

    @Test
    void whenReplayedThenRefusedButNotWhileUnclaimed() throws Exception {
        String object = signed(claims().build());
        verifier.verify(object, client, ISSUER, false);
        verifier.verify(object, client, ISSUER, true);

        assertRefused(object, "already used");
    }
}
