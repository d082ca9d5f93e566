package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClientMetadataDocumentTest {

    private static final String URL = "https://tool.example/oauth/client.json";

    private static String document(String extra) {
        return """
                {"client_id":"%s","client_name":"Tool","redirect_uris":["https://tool.example/callback"]%s}"""
                .formatted(URL, extra);
    }

    @Test
    void whenMinimalDocumentThenPublicCodeFlowClient() throws Exception {
        ClientMetadataDocument document = ClientMetadataDocument.parse(document(""), URL);
        assertThat(document.clientId()).isEqualTo(URL);
        assertThat(document.clientName()).isEqualTo("Tool");
        assertThat(document.redirectUris()).containsExactly("https://tool.example/callback");
        assertThat(document.grantTypes()).containsExactly("authorization_code");
        assertThat(document.tokenEndpointAuthMethod()).isEqualTo("none");
        assertThat(document.scopes()).isNull();
    }

    @Test
    void whenClientIdDiffersEvenByCaseOrSlashThenRefused() {
        assertRefused(document(""), "https://tool.example/oauth/client.json/", "client_id");
        assertRefused(document(""), "https://TOOL.example/oauth/client.json", "client_id");
        assertRefused("{\"redirect_uris\":[\"https://tool.example/cb\"]}", URL, "client_id");
    }

    @Test
    void whenSharedSecretAuthOrSecretThenRefused() {
        assertRefused(document(",\"token_endpoint_auth_method\":\"client_secret_basic\""), URL, "no shared secret");
        assertRefused(document(",\"token_endpoint_auth_method\":\"client_secret_post\""), URL, "no shared secret");
        assertRefused(document(",\"token_endpoint_auth_method\":\"client_secret_jwt\""), URL, "no shared secret");
        assertRefused(document(",\"client_secret\":\"s3cret\""), URL, "client secret");
    }

    @Test
    void whenOtherGrantsOrResponseTypesThenRefused() {
        assertRefused(document(",\"grant_types\":[\"client_credentials\"]"), URL, "grant_types");
        assertRefused(document(",\"grant_types\":[\"authorization_code\",\"password\"]"), URL, "grant_types");
        assertRefused(document(",\"grant_types\":[\"refresh_token\"]"), URL, "grant_types");
        assertRefused(document(",\"response_types\":[\"token\"]"), URL, "response_types");
    }

    @Test
    void whenRedirectUrisMissingOrInexactThenRefused() {
        assertRefused("{\"client_id\":\"" + URL + "\"}", URL, "redirect_uris");
        assertRefused("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[]}", URL, "redirect_uris");
        assertRefused("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://*.tool.example/cb\"]}", URL,
                "wildcards");
        assertRefused("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"http://tool.example/cb\"]}", URL,
                "loopback");
        assertRefused("{\"client_id\":\"" + URL + "\",\"redirect_uris\":\"https://tool.example/cb\"}", URL,
                "array");
    }

    @Test
    void whenNotJsonObjectThenRefused() {
        assertRefused("[1,2]", URL, "JSON object");
        assertRefused("<html>", URL, "JSON object");
    }

    @Test
    void whenPrivateKeyJwtThenNeedsExactlyOnePublicKeySource() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String publicJwks = ",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":["
                + key.toPublicJWK().toJSONString() + "]}";
        ClientMetadataDocument document = ClientMetadataDocument.parse(document(publicJwks), URL);
        assertThat(document.jwks()).contains("\"kid\":\"k1\"").doesNotContain("\"d\"");

        assertRefused(document(",\"token_endpoint_auth_method\":\"private_key_jwt\""), URL, "exactly one");
        assertRefused(document(",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":["
                + key.toJSONString() + "]}"), URL, "public keys only");
        assertRefused(document(publicJwks + ",\"jwks_uri\":\"https://tool.example/jwks\""), URL, "exactly one");
        assertRefused(document(",\"jwks\":{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"), URL,
                "only for private_key_jwt");
    }

    @Test
    void whenNameIsLongOrHasControlCharactersThenBoundedOneLine() throws Exception {
        String name = "Evil\\u0000\\nTool " + "x".repeat(300);
        ClientMetadataDocument document = ClientMetadataDocument.parse("""
                {"client_id":"%s","client_name":"%s","redirect_uris":["https://tool.example/cb"],
                 "scope":"openid  read"}""".formatted(URL, name), URL);
        assertThat(document.clientName()).startsWith("Evil  Tool").hasSize(ClientMetadataDocument.MAX_NAME_LENGTH + 1)
                .doesNotContain("\u0000", "\n");
        assertThat(document.scopes()).containsExactly("openid", "read");
    }

    private static void assertRefused(String json, String url, String reason) {
        assertThatThrownBy(() -> ClientMetadataDocument.parse(json, url))
                .isInstanceOf(InvalidClientMetadataException.class).hasMessageContaining(reason);
    }
}
