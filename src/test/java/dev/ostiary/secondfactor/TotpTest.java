package dev.ostiary.secondfactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RFC 6238 codes, the ±1 step window, code shapes and recovery codes, at fixed instants. */
@Tag("unit")
class TotpTest {

    /** RFC 6238 Appendix B: the SHA-1 seed, ASCII "12345678901234567890". */
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final Instant AT = Instant.ofEpochSecond(1_111_111_109L);

    @Test
    void whenTheRfcVectorsAreComputedThenTheLastSixDigitsMatch() {
        // Appendix B lists 8 digits: 94287082, 07081804, 14050471, 89005924
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1_111_111_109L)))).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1_111_111_111L)))).isEqualTo("050471");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1_234_567_890L)))).isEqualTo("005924");
    }

    @Test
    void whenTheCodeIsOfTheStepBeforeOrAfterThenItMatchesThatStep() {
        long step = Totp.step(AT);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), AT)).isEqualTo(OptionalLong.of(step - 1));
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step), AT)).isEqualTo(OptionalLong.of(step));
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), AT)).isEqualTo(OptionalLong.of(step + 1));
    }

    @Test
    void whenTheCodeIsTwoStepsAwayThenItDoesNotMatch() {
        long step = Totp.step(AT);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), AT)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), AT)).isEmpty();
    }

    @Test
    void whenTheInstantIsAtAStepEdgeThenTheWindowMovesWithIt() {
        Instant lastSecond = Instant.ofEpochSecond(30 * 1000L + 29);
        Instant firstSecond = Instant.ofEpochSecond(30 * 1001L);
        assertThat(Totp.step(lastSecond)).isEqualTo(1000);
        assertThat(Totp.step(firstSecond)).isEqualTo(1001);
        // step 999 is in the window at the end of 1000, no longer at the start of 1001
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, 999), lastSecond)).hasValue(999);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, 999), firstSecond)).isEmpty();
    }

    @Test
    void whenTheCodeIsMalformedThenNothingMatches() {
        String code = Totp.code(RFC_SECRET, Totp.step(AT));
        for (String malformed : List.of("", "12345", "1234567", "abcdef", "12 34 5", "١٢٣٤٥٦", "0x1234",
                code + "0", code.substring(1), "-" + code.substring(1))) {
            assertThat(Totp.matchingStep(RFC_SECRET, malformed, AT)).as(malformed).isEmpty();
        }
        assertThat(Totp.matchingStep(RFC_SECRET, null, AT)).isEmpty();
        // spaces as apps show them ("081 804") are fine
        assertThat(Totp.matchingStep(RFC_SECRET, code.substring(0, 3) + " " + code.substring(3), AT)).isPresent();
    }

    @Test
    void whenANewSecretIsMadeThenItHas160BitsAndEncodesToThirtyTwoBase32Characters() {
        byte[] secret = Totp.newSecret();
        assertThat(secret).hasSize(20);
        String base32 = Base32.encode(secret);
        assertThat(base32).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Base32.decode(base32)).isEqualTo(secret);
        assertThat(Base32.decode(Totp.grouped(base32).toLowerCase())).isEqualTo(secret);
        assertThat(Totp.grouped("ABCDEFGHIJ")).isEqualTo("ABCD EFGH IJ");
        assertThatThrownBy(() -> Base32.decode("ABC1")).isInstanceOf(IllegalArgumentException.class);
        // RFC 4648 §10
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    }

    @Test
    void whenRecoveryCodesAreMadeThenTenDistinctCodesOfSixtyBitsInGroupsOfFour() {
        List<String> codes = RecoveryCodes.generate();
        assertThat(codes).hasSize(10);
        assertThat(new HashSet<>(codes)).hasSize(10);
        assertThat(codes).allMatch(code -> code.matches("[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}"));
    }

    @Test
    void whenARecoveryCodeIsTypedLooselyThenItIsReadAsCrockfordReadsIt() {
        assertThat(RecoveryCodes.normalize("ABCD-EFGH-JKMN")).isEqualTo("abcdefghjkmn");
        assertThat(RecoveryCodes.normalize(" abcd efgh jkmn ")).isEqualTo("abcdefghjkmn");
        assertThat(RecoveryCodes.normalize("oOiI-lL00-1111")).isEqualTo("001111001111");
        assertThat(RecoveryCodes.normalize("abcd-efgh-jkm")).isNull();
        assertThat(RecoveryCodes.normalize("abcd-efgh-jkmnp")).isNull();
        assertThat(RecoveryCodes.normalize("abcd-efgh-jkm!")).isNull();
        assertThat(RecoveryCodes.normalize("abcd-efgh-jkmu")).isNull();
        assertThat(RecoveryCodes.normalize(null)).isNull();
        assertThat(RecoveryCodes.normalize("a".repeat(1000))).isNull();
    }
}
