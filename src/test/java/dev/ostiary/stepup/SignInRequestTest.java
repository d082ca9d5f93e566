package dev.ostiary.stepup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class SignInRequestTest {

    @Test
    void ofWhenNothingAskedThenNothingRequired() {
        SignInRequest request = SignInRequest.of(Map.of());

        assertThat(request.requestedRank()).isZero();
        assertThat(request.maxAge()).isNull();
        assertThat(request.prompt()).isEmpty();
    }

    @Test
    void ofWhenAcrValuesInPreferenceOrderThenTheHighestOfOurs() {
        assertThat(SignInRequest.of(Map.of("acr_values", "urn:ostiary:loa:1 urn:ostiary:loa:2")).requestedRank())
                .isEqualTo(2);
        assertThat(SignInRequest.of(Map.of("acr_values", "urn:ostiary:loa:1")).requestedRank()).isEqualTo(1);
    }

    @Test
    void ofWhenAcrValuesUnknownThenIgnored() {
        assertThat(SignInRequest.of(Map.of("acr_values", "phr urn:other:gold  %00")).requestedRank()).isZero();
    }

    @Test
    void ofWhenAcrValuesHugeThenInvalidRequest() {
        assertInvalid(Map.of("acr_values", "urn:ostiary:loa:2 ".repeat(40)));
    }

    @Test
    void ofWhenAcrValuesTooManyThenInvalidRequest() {
        assertInvalid(Map.of("acr_values", "a b c d e f g h i j k"));
    }

    @Test
    void ofWhenAcrValuesWithControlCharactersThenInvalidRequest() {
        assertInvalid(Map.of("acr_values", "urn:ostiary:loa:2\nSet-Cookie: x"));
        assertInvalid(Map.of("acr_values", "urn:ostiary:lоa:2")); // Cyrillic о
    }

    @Test
    void ofWhenParameterRepeatedInPushedRequestThenInvalidRequest() {
        assertInvalid(Map.of("acr_values", new String[] { "urn:ostiary:loa:1", "urn:ostiary:loa:2" }));
    }

    @Test
    void ofWhenMaxAgeThenSeconds() {
        assertThat(SignInRequest.of(Map.of("max_age", "0")).maxAge()).isZero();
        assertThat(SignInRequest.of(Map.of("max_age", "3600")).maxAge()).isEqualTo(3600);
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "", "ten", "1e3", "1.5", " 60", "+60", "99999999999", "0x10" })
    void ofWhenMaxAgeNotANonNegativeIntegerThenInvalidRequest(String maxAge) {
        assertInvalid(Map.of("max_age", maxAge));
    }

    @Test
    void ofWhenPromptThenItsValues() {
        SignInRequest request = SignInRequest.of(Map.of("prompt", "login consent"));

        assertThat(request.promptLogin()).isTrue();
        assertThat(request.promptNone()).isFalse();
        assertThat(SignInRequest.of(Map.of("prompt", "none")).promptNone()).isTrue();
    }

    private static void assertInvalid(Map<String, Object> parameters) {
        assertThatExceptionOfType(SignInRequest.InvalidSignInRequestException.class)
                .isThrownBy(() -> SignInRequest.of(new HashMap<>(parameters)))
                .satisfies(e -> assertThat(e.error().getErrorCode()).isEqualTo("invalid_request"));
    }
}
