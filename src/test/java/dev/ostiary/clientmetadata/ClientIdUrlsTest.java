package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ClientIdUrlsTest {

    private final ClientIdUrls production = new ClientIdUrls(false);
    private final ClientIdUrls development = new ClientIdUrls(true);

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example/client.json", "https://app.example:8443/oauth/client",
            "https://app.example/client?v=1" })
    void whenHttpsUrlWithPathThenAccepted(String clientId) {
        assertThat(production.problem(clientId)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://app.example/client.json", "ftp://app.example/client.json",
            "https://app.example", "https://app.example/", "https://app.example/client.json#frag",
            "https://user:pw@app.example/client.json", "https://user@app.example/client.json",
            "https://app.example/a/../client.json", "https://app.example/./client.json",
            "https://app.example/a/%2e%2E/client.json", "https://app.example/a/..",
            "https://203.0.113.7/client.json", "https://[2001:db8::1]/client.json",
            "https://localhost/client.json", "https://127.0.0.1/client.json", "https://app example/x",
            "https:///client.json" })
    void whenUrlBreaksARuleThenRefused(String clientId) {
        assertThat(production.problem(clientId)).isNotNull();
    }

    @Test
    void whenClientIdIsTooLongThenRefusedBeforeParsing() {
        assertThat(production.problem("https://app.example/" + "a".repeat(200))).contains("longer");
    }

    @Test
    void whenLoopbackAllowedThenHttpAndHttpsLoopbackAcceptedButNotOtherHttp() {
        assertThat(development.problem("http://127.0.0.1:8080/client.json")).isNull();
        assertThat(development.problem("http://localhost:8080/client.json")).isNull();
        assertThat(development.problem("https://[::1]:8443/client.json")).isNull();
        assertThat(development.problem("http://app.example/client.json")).isEqualTo("must be an https URL");
        assertThat(development.problem("http://10.0.0.1/client.json")).isEqualTo("must be an https URL");
    }

    @Test
    void whenClientIdIsPlainNameThenNotAUrl() {
        assertThat(ClientIdUrls.looksLikeUrl("web-app")).isFalse();
        assertThat(ClientIdUrls.looksLikeUrl("HTTPS://app.example/c")).isTrue();
    }

    @Test
    void whenHostHasPortThenHostShownWithPort() {
        assertThat(ClientIdUrls.host("https://app.example:8443/c")).isEqualTo("app.example:8443");
        assertThat(ClientIdUrls.host("https://app.example/c")).isEqualTo("app.example");
    }
}
