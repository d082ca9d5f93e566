package dev.ostiary.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.webauthn.api.Bytes;

@Tag("unit")
class PasskeyUserEntitiesTest {

    @Test
    void whenUserIdEncodedAsHandleThenItDecodesBack() {
        UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        Bytes handle = PasskeyUserEntities.handle(id);
        assertThat(handle.getBytes()).hasSize(16);
        assertThat(PasskeyUserEntities.userId(handle)).isEqualTo(id);
        // what V19's passkey_user_id() decodes: base64url without padding of the same 16 bytes
        assertThat(handle.toBase64UrlString()).isEqualTo("D4-tW9nLRp-hZXCGdyiVDg");
    }

    @Test
    void whenHandleIsNotSixteenBytesThenNoUser() {
        assertThat(PasskeyUserEntities.userId(Bytes.random())).isNull();
        assertThat(PasskeyUserEntities.userId(null)).isNull();
    }

    @Test
    void whenIssuerHasPortThenOriginKeepsIt() {
        assertThat(IssuerRelyingParty.origin(URI.create("https://id.example.com/realm"))).isEqualTo("https://id.example.com");
        assertThat(IssuerRelyingParty.origin(URI.create("http://localhost:9000"))).isEqualTo("http://localhost:9000");
    }
}
