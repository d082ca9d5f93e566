package dev.ostiary.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class UntrustedTextTest {

    @Test
    void whenTextHoldsNulThenItIsReplaced() {
        assertThat(UntrustedText.storable("a\u0000b")).isEqualTo("a\uFFFDb");
    }

    @Test
    void whenTextIsLongerThanTheBoundThenItIsCut() {
        assertThat(UntrustedText.storable("x".repeat(5000))).hasSize(UntrustedText.MAX_LENGTH);
        assertThat(UntrustedText.storable("short")).isEqualTo("short");
    }

    @Test
    void whenTextIsNullThenNull() {
        assertThat(UntrustedText.storable(null)).isNull();
    }
}
