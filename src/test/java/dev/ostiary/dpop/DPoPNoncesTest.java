package dev.ostiary.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TestClocks;

/** Stateless DPoP nonces (RFC 9449 §8) on a clock the test moves. */
@Tag("unit")
class DPoPNoncesTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final TestClocks.Movable clock = TestClocks.movable();
    private final DPoPNonces nonces = new DPoPNonces(KEY, clock, Duration.ofMinutes(5));

    @Test
    void whenIssuedThenValidForItsLifetimeAndNotAfter() {
        String nonce = nonces.current();
        assertThat(nonces.valid(nonce)).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThat(nonces.valid(nonce)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(nonces.valid(nonce)).isFalse();
    }

    @Test
    void whenSameMinuteThenSameNonceAndNextMinuteANewOne() {
        String nonce = nonces.current();
        clock.advance(Duration.ofSeconds(59 - TestClocks.NOW.getEpochSecond() % 60));
        assertThat(nonces.current()).isEqualTo(nonce);
        clock.advance(Duration.ofSeconds(1));
        assertThat(nonces.current()).isNotEqualTo(nonce);
    }

    @Test
    void whenIssuedByAnotherInstanceWithTheSameKeyThenValid() {
        DPoPNonces other = new DPoPNonces(KEY.clone(), clock, Duration.ofMinutes(5));
        assertThat(other.valid(nonces.current())).isTrue();
    }

    @Test
    void whenIssuedUnderAnotherKeyThenInvalid() {
        DPoPNonces other = new DPoPNonces("another key, another key, 32 byt".getBytes(StandardCharsets.US_ASCII),
                clock, Duration.ofMinutes(5));
        assertThat(nonces.valid(other.current())).isFalse();
    }

    @Test
    void whenFromTheFutureThenInvalid() {
        // a proof cannot be made with a nonce before the nonce existed
        clock.advance(Duration.ofMinutes(2));
        String later = nonces.current();
        clock.advance(Duration.ofMinutes(-2));
        assertThat(nonces.valid(later)).isFalse();
    }

    @Test
    void whenNullTooLongOrForgedThenInvalid() {
        String nonce = nonces.current();
        assertThat(nonces.valid(null)).isFalse();
        assertThat(nonces.valid("x".repeat(101))).isFalse();
        assertThat(nonces.valid(nonce.substring(0, nonce.length() - 1) + (nonce.endsWith("A") ? "B" : "A"))).isFalse();
        assertThat(nonces.valid("")).isFalse();
    }

    @Test
    void whenLifetimeBelowAMinuteThenOneMinuteWindow() {
        DPoPNonces short_ = new DPoPNonces(KEY, clock, Duration.ofSeconds(10));
        String nonce = short_.current();
        assertThat(short_.valid(nonce)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(short_.valid(nonce)).isFalse();
    }
}
