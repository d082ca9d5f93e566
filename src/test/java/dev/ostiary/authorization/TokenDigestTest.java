package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stored token digests: what a client sends is always hashed; only save() reads placeholders. */
@Tag("unit")
class TokenDigestTest {

    private static byte[] sha256(String value) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whenTokenValueThenItsSha256() throws Exception {
        assertThat(TokenDigest.of("token-value")).isEqualTo(sha256("token-value"));
        assertThat(TokenDigest.of(null)).isNull();
    }

    @Test
    void whenPlaceholderOfADigestIsStoredThenTheSameDigestIsStoredAgain() throws Exception {
        byte[] digest = sha256("refresh-token");
        String placeholder = TokenDigest.placeholder(digest);
        assertThat(TokenDigest.isPlaceholder(placeholder)).isTrue();
        assertThat(placeholder).doesNotContain("refresh-token");
        assertThat(TokenDigest.ofStored(placeholder)).isEqualTo(digest);
    }

    @Test
    void whenClientSendsAPlaceholderThenItIsHashedLikeAnyValue() throws Exception {
        // of() is what every lookup uses: it never decodes a placeholder
        String placeholder = TokenDigest.placeholder(sha256("refresh-token"));
        assertThat(TokenDigest.of(placeholder)).isEqualTo(sha256(placeholder));
    }

    @Test
    void whenDigestCopiedFromADumpIsPresentedInPlaceholderSyntaxWithoutTheProcessMarkerThenHashed() throws Exception {
        byte[] digest = sha256("access-token");
        String guess = "#sha256.:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        assertThat(TokenDigest.isPlaceholder(guess)).isFalse();
        assertThat(TokenDigest.ofStored(guess)).isEqualTo(sha256(guess));
    }

    @Test
    void whenPlainValueIsStoredThenItIsHashed() throws Exception {
        assertThat(TokenDigest.ofStored("new-token")).isEqualTo(sha256("new-token"));
        assertThat(TokenDigest.isPlaceholder("new-token")).isFalse();
        assertThat(TokenDigest.isPlaceholder(null)).isFalse();
    }

    @Test
    void whenLookedUpByThisDigestThenRealValueElsePlaceholder() throws Exception {
        byte[] access = sha256("access");
        byte[] refresh = sha256("refresh");
        assertThat(TokenDigest.valueOrPlaceholder(refresh, "refresh", refresh)).isEqualTo("refresh");
        assertThat(TokenDigest.valueOrPlaceholder(access, "refresh", refresh)).isEqualTo(TokenDigest.placeholder(access));
        assertThat(TokenDigest.valueOrPlaceholder(access, null, null)).isEqualTo(TokenDigest.placeholder(access));
    }
}
