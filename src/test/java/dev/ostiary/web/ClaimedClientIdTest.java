package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

@Tag("unit")
class ClaimedClientIdTest {

    @Test
    void whenBasicUserNameIsFormEncodedThenItIsDecoded() {
        // RFC 6749 §2.3.1: id and secret are form-url-encoded before Basic encoding
        MockHttpServletRequest request = basic("my%3Aclient+1:s%3Acret");
        assertThat(ClaimedClientId.from(request)).isEqualTo("my:client 1");
        assertThat(ClaimedClientId.usedBasic(request)).isTrue();
    }

    @Test
    void whenBasicAndFormBothNameAClientThenBasicIsTheClaim() {
        MockHttpServletRequest request = basic("basic-client:secret");
        request.addParameter("client_id", "form-client");
        assertThat(ClaimedClientId.from(request)).isEqualTo("basic-client");
    }

    @Test
    void whenBasicIsMalformedThenNoClaim() {
        assertThat(ClaimedClientId.from(basic("no-colon"))).isNull();
        MockHttpServletRequest notBase64 = new MockHttpServletRequest();
        notBase64.addHeader("Authorization", "Basic ***");
        assertThat(ClaimedClientId.from(notBase64)).isNull();
        assertThat(ClaimedClientId.from(basic("bad%zzescape:secret"))).isNull();
    }

    @Test
    void whenTheSchemeIsInAnyCaseThenItIsBasic() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "bAsIc " + encode("client:secret"));
        assertThat(ClaimedClientId.fromBasic(request)).isEqualTo("client");
    }

    @Test
    void whenFormClientIdIsRepeatedOrMissingThenNoClaim() {
        MockHttpServletRequest repeated = new MockHttpServletRequest();
        repeated.addParameter("client_id", "a", "b");
        assertThat(ClaimedClientId.from(repeated)).isNull();
        assertThat(ClaimedClientId.from(new MockHttpServletRequest())).isNull();
        MockHttpServletRequest single = new MockHttpServletRequest();
        single.addParameter("client_id", "public-app");
        assertThat(ClaimedClientId.from(single)).isEqualTo("public-app");
        assertThat(ClaimedClientId.usedBasic(single)).isFalse();
    }

    private static MockHttpServletRequest basic(String credentials) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "Basic " + encode(credentials));
        return request;
    }

    private static String encode(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
