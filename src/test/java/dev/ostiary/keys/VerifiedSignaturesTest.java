package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A token's signature check is remembered only for the key set it was made against, and the
 * claims are checked at every use.
 */
@Tag("unit")
class VerifiedSignaturesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicReference<SigningKeySet.Snapshot> keys = new AtomicReference<>(snapshot("v1"));
    private final AtomicReference<Clock> clock = new AtomicReference<>(Clock.fixed(NOW, ZoneOffset.UTC));
    private volatile boolean signatureValid = true;

    /** Stands in for NimbusJwtDecoder: "verifies" by a flag, counts the verifications. */
    private final JwtDecoder signatures = token -> {
        verifications.incrementAndGet();
        if (!signatureValid) {
            throw new BadJwtException("Signed JWT rejected: Another algorithm expected, or no matching key(s) found");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").header("kid", "k1").subject("svc-client")
                .issuedAt(NOW.minusSeconds(10)).expiresAt(NOW.plusSeconds(300)).claims(c -> c.putAll(Map.of("jti", token)))
                .build();
    };

    private VerifiedSignatures decoder(int size) {
        return new VerifiedSignatures(signatures, jwt -> {
            JwtTimestampValidator lifetime = new JwtTimestampValidator(Duration.ZERO);
            lifetime.setClock(clock.get());
            return lifetime.validate(jwt);
        }, keys::get, size);
    }

    private static SigningKeySet.Snapshot snapshot(String version) {
        return new SigningKeySet.Snapshot(version, Map.of(), List.of(), new byte[0], "\"" + version + "\"");
    }

    @Test
    void whenSameTokenTwiceWithSameKeysThenVerifiedOnce() {
        VerifiedSignatures decoder = decoder(10);

        assertThat(decoder.decode("token-a").getSubject()).isEqualTo("svc-client");
        assertThat(decoder.decode("token-a").getSubject()).isEqualTo("svc-client");

        assertThat(verifications).hasValue(1);
    }

    @Test
    void whenKeySetChangesThenTokenIsVerifiedAgainAndFailsOnceItsKeyIsGone() {
        VerifiedSignatures decoder = decoder(10);
        decoder.decode("token-a");

        keys.set(snapshot("v2")); // e.g. the token's key revoked: the new snapshot no longer has it
        signatureValid = false;

        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
        // and the failure is not remembered either way
        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(3);
    }

    @Test
    void whenRememberedTokenExpiresThenItIsRefused() {
        VerifiedSignatures decoder = decoder(10);
        decoder.decode("token-a");

        clock.set(Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC));

        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("Jwt expired");
        assertThat(verifications).hasValue(1);
    }

    @Test
    void whenOtherTokenThenVerifiedOnItsOwn() {
        VerifiedSignatures decoder = decoder(10);
        decoder.decode("token-a");

        assertThat(decoder.decode("token-b").getClaimAsString("jti")).isEqualTo("token-b");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void whenSizeZeroThenEveryCallVerifies() {
        VerifiedSignatures decoder = decoder(0);
        decoder.decode("token-a");
        decoder.decode("token-a");

        assertThat(verifications).hasValue(2);
    }
}
