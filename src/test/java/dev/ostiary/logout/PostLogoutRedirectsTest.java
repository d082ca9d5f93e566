package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code post_logout_redirect_uri} is compared exactly (OpenID Connect RP-Initiated Logout 1.0 §3). */
@Tag("unit")
class PostLogoutRedirectsTest {

    private final List<String> registered = List.of("https://app.example/logged-out", "http://127.0.0.1:18999/bye?x=1");

    @Test
    void whenRegisteredThenRedirectedWithState() {
        assertThat(PostLogoutRedirects.target(registered, "https://app.example/logged-out", "s 1&2"))
                .contains("https://app.example/logged-out?state=s%201%262");
        assertThat(PostLogoutRedirects.target(registered, "http://127.0.0.1:18999/bye?x=1", "abc"))
                .contains("http://127.0.0.1:18999/bye?x=1&state=abc");
    }

    @Test
    void whenNoStateThenUriAsRegistered() {
        assertThat(PostLogoutRedirects.target(registered, "https://app.example/logged-out", null))
                .contains("https://app.example/logged-out");
    }

    @Test
    void whenNotExactlyRegisteredThenNoRedirect() {
        for (String near : List.of("https://app.example/logged-out/", "https://APP.example/logged-out",
                "https://app.example/logged-out?x", "https://app.example/logged-out#f", "https://app.example/logged",
                "https://app.example/logged-out.evil.example", "http://app.example/logged-out", "")) {
            assertThat(PostLogoutRedirects.target(registered, near, "s")).as(near).isEmpty();
        }
        assertThat(PostLogoutRedirects.target(registered, null, "s")).isEmpty();
        assertThat(PostLogoutRedirects.target(List.of(), "https://app.example/logged-out", "s")).isEmpty();
    }
}
