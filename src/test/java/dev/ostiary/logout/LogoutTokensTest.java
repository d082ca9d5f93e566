package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.ostiary.support.TestClocks;

/** Logout tokens as OpenID Connect Back-Channel Logout 1.0 §2.4 defines them. */
@Tag("unit")
class LogoutTokensTest {

    private final Instant now = TestClocks.fixed().instant();
    private final LogoutTokens.Logout logout = new LogoutTokens.Logout("http://localhost:9000", "web-app", "alice",
            "sid-1", "jti-1");

    @Test
    void whenBuiltThenItHasTheClaimsOfALogoutTokenAndNoNonce() {
        JwtClaimsSet claims = LogoutTokens.claims(logout, now, Duration.ofMinutes(2));
        assertThat(claims.getClaims()).containsOnlyKeys("iss", "aud", "iat", "exp", "jti", "sub", "sid", "events");
        assertThat(claims.getClaimAsString("iss")).isEqualTo("http://localhost:9000");
        assertThat(claims.getAudience()).containsExactly("web-app");
        assertThat(claims.getIssuedAt()).isEqualTo(now);
        assertThat(claims.getExpiresAt()).isEqualTo(now.plusSeconds(120));
        assertThat(claims.getId()).isEqualTo("jti-1");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getClaimAsString("sid")).isEqualTo("sid-1");
        assertThat(claims.getClaimAsMap("events"))
                .isEqualTo(Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
    }

    @Test
    void whenTheSessionIsUnknownThenSubjectOnly() {
        JwtClaimsSet claims = LogoutTokens.claims(new LogoutTokens.Logout("https://issuer", "web-app", "alice", null,
                "jti-2"), now, Duration.ofMinutes(2));
        assertThat(claims.getClaims()).doesNotContainKey("sid").containsKey("sub");
    }

    @Test
    void whenSignedThenTypeIsLogoutJwtAndOurKeyVerifiesIt() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        LogoutTokens tokens = new LogoutTokens(new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key))),
                Duration.ofMinutes(2));
        SignedJWT jwt = SignedJWT.parse(tokens.sign(logout, now));
        JWSHeader header = jwt.getHeader();
        assertThat(header.getType().getType()).isEqualTo("logout+jwt");
        assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience()).isEqualTo(List.of("web-app"));
        assertThat(jwt.getJWTClaimsSet().getClaim("nonce")).isNull();
    }
}
