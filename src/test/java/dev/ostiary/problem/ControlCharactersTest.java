package dev.ostiary.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void whenNulDelOrC1ThenFoundWhereverLineBreaksAreAllowed() {
        for (String value : new String[] { "a\u0000b", "\u007f", "x\u0085", "\u001b[31m" }) {
            assertThat(ControlCharacters.in(value, false)).as(value).isTrue();
            assertThat(ControlCharacters.in(value, true)).as(value).isTrue();
        }
    }

    @Test
    void whenTabOrLineBreakThenFoundOnlyWhereTheyAreNotAllowed() {
        for (String value : new String[] { "https://a.example/cb\r\nhttps://b.example/cb", "a\tb" }) {
            assertThat(ControlCharacters.in(value, true)).as(value).isFalse();
            assertThat(ControlCharacters.in(value, false)).as(value).isTrue();
        }
        assertThat(ControlCharacters.in(null, false)).isFalse();
        assertThat(ControlCharacters.in("Grüße, 東京 ✓", false)).isFalse();
    }

    @Test
    void whenAnyValueHoldsOneThenRefusedNamingTheField() {
        assertThatNoException().isThrownBy(() -> ControlCharacters.refuse("q", "alice", null, ""));
        assertThatThrownBy(() -> ControlCharacters.refuse("q", "alice", "bo\u0000b"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("q")));
    }
}
