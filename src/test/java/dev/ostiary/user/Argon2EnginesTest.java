package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import dev.ostiary.user.Argon2Engine.Argon2Input;

/**
 * The native engine (the system's libargon2) against Bouncy Castle: the same bytes for RFC 9106's
 * vectors and for Ostiary's own format, hashes of one verified by the other, and the fallback when
 * the library is missing or computes wrong answers. The native tests need libargon2-1 installed (the
 * Dockerfile and the dev machine have it); without it they are skipped, the fallback tests still run.
 */
@Tag("unit")
class Argon2EnginesTest {

    private static final BouncyCastleArgon2 BOUNCY_CASTLE = new BouncyCastleArgon2();
    private static Argon2Engine nativeEngine;

    @BeforeAll
    static void loadNative() {
        try {
            nativeEngine = NativeArgon2.load(NativeArgon2.LIBRARY, BOUNCY_CASTLE);
            nativeEngine.hash(Argon2Engines.OWN_FORMAT, Argon2Engines.OWN_FORMAT_PASSWORD.clone(), 32);
        } catch (UnsatisfiedLinkError missing) {
            nativeEngine = null;
        }
    }

    private static Argon2Engine nativeEngine() {
        assumeTrue(nativeEngine != null, "libargon2 is not installed");
        return nativeEngine;
    }

    // RFC 9106 section 5: 32 KiB, 3 passes, 4 lanes, password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03,
    // associated data 12 x 0x04, 32-byte tags
    private static final Map<Integer, String> RFC9106_TAGS = Map.of(
            0, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
            1, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
            2, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

    @Test
    void whenRfc9106VectorsAreHashedThenBothImplementationsGiveTheRfcsTags() {
        Argon2Engine nativeArgon2 = nativeEngine();
        RFC9106_TAGS.forEach((type, tag) -> {
            Argon2Input input = new Argon2Input(type, 0x13, 32, 3, 4, filled(16, 2), filled(8, 3), filled(12, 4));
            assertThat(HexFormat.of().formatHex(BOUNCY_CASTLE.hash(input, filled(32, 1), 32))).isEqualTo(tag);
            assertThat(HexFormat.of().formatHex(nativeArgon2.hash(input, filled(32, 1), 32))).isEqualTo(tag);
        });
    }

    @Test
    void whenOurFormatIsHashedThenBothImplementationsGiveTheSameBytes() {
        Argon2Engine nativeArgon2 = nativeEngine();
        Random random = new Random(18);
        int[][] costs = { { 8, 1, 1 }, { 64, 1, 1 }, { 1024, 2, 1 }, { 7168, 5, 1 }, { 2048, 3, 2 }, { 256, 1, 4 } };
        for (int[] cost : costs) {
            for (int version : new int[] { 0x10, 0x13 }) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                byte[] password = ("pässwörd-" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
                Argon2Input input = Argon2Input.of(Argon2Input.ARGON2_ID, version, cost[0], cost[1], cost[2], salt);
                assertThat(nativeArgon2.hash(input, password, 32)).as("m=%d t=%d p=%d v=%x", cost[0], cost[1],
                        cost[2], version).isEqualTo(BOUNCY_CASTLE.hash(input, password, 32));
            }
        }
        assertThat(HexFormat.of().formatHex(BOUNCY_CASTLE.hash(Argon2Engines.OWN_FORMAT,
                Argon2Engines.OWN_FORMAT_PASSWORD.clone(), 32))).isEqualTo(
                        HexFormat.of().formatHex(Argon2Engines.OWN_FORMAT_TAG));
    }

    @Test
    void whenTheWorkingMemoryIsReusedThenASmallerAndALargerCostStillHashRight() {
        Argon2Engine nativeArgon2 = nativeEngine();
        byte[] salt = filled(16, 7);
        for (int memory : new int[] { 4096, 64, 8192, 1024 }) {
            Argon2Input input = Argon2Input.of(Argon2Input.ARGON2_ID, 0x13, memory, 1, 1, salt);
            assertThat(nativeArgon2.hash(input, filled(5, 9), 32)).isEqualTo(BOUNCY_CASTLE.hash(input, filled(5, 9), 32));
        }
    }

    @Test
    void whenTheSaltIsShorterThanLibargon2AcceptsThenBouncyCastleHashesIt() {
        Argon2Engine nativeArgon2 = nativeEngine();
        Argon2Input input = Argon2Input.of(Argon2Input.ARGON2_ID, 0x13, 64, 1, 1, filled(4, 5));
        assertThat(nativeArgon2.hash(input, filled(3, 1), 32)).isEqualTo(BOUNCY_CASTLE.hash(input, filled(3, 1), 32));
    }

    @Test
    void whenTheEngineHashesThenThePasswordArrayIsLeftToTheCaller() {
        byte[] password = filled(8, 6);
        nativeEngine().hash(Argon2Engines.OWN_FORMAT, password, 32);
        assertThat(password).isEqualTo(filled(8, 6));
    }

    @Test
    void whenEitherEncoderWritesAHashThenTheOtherAndSpringsVerifyIt() {
        Argon2Engine nativeArgon2 = nativeEngine();
        PooledArgon2PasswordEncoder withNative = new PooledArgon2PasswordEncoder(1024, 2, 1, 4, nativeArgon2);
        PooledArgon2PasswordEncoder withBouncyCastle = new PooledArgon2PasswordEncoder(1024, 2, 1, 4, BOUNCY_CASTLE);
        Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 1024, 2);

        String byNative = withNative.encode("alice-pw ✓");
        String byBouncyCastle = withBouncyCastle.encode("alice-pw ✓");
        String bySpring = spring.encode("alice-pw ✓");

        assertThat(byNative).startsWith("$argon2id$v=19$m=1024,t=2,p=1$");
        for (String hash : new String[] { byNative, byBouncyCastle, bySpring }) {
            assertThat(withNative.matches("alice-pw ✓", hash)).isTrue();
            assertThat(withBouncyCastle.matches("alice-pw ✓", hash)).isTrue();
            assertThat(spring.matches("alice-pw ✓", hash)).isTrue();
            assertThat(withNative.matches("alice-pw ✗", hash)).isFalse();
        }
    }

    @Test
    void whenTheLibraryIsMissingThenAutoFallsBackToBouncyCastle() {
        Argon2Engine chosen = Argon2Engines.select(Argon2Implementation.AUTO,
                () -> NativeArgon2.load("/nonexistent/libargon2.so.1", BOUNCY_CASTLE));

        assertThat(chosen).isInstanceOf(BouncyCastleArgon2.class);
    }

    @Test
    void whenNativeIsRequiredAndTheLibraryIsMissingThenTheServerDoesNotStart() {
        assertThatIllegalStateException().isThrownBy(() -> Argon2Engines.select(Argon2Implementation.NATIVE,
                () -> NativeArgon2.load("/nonexistent/libargon2.so.1", BOUNCY_CASTLE)))
                .withMessageContaining("argon2-implementation=native");
    }

    @Test
    void whenTheLibraryComputesAWrongAnswerThenAutoFallsBackAndNativeRefusesToStart() {
        Argon2Engine wrong = new Argon2Engine() {
            @Override
            public String description() {
                return "a broken Argon2";
            }

            @Override
            public byte[] hash(Argon2Input input, byte[] password, int hashLength) {
                byte[] hash = BOUNCY_CASTLE.hash(input, password, hashLength);
                hash[0] ^= 1;
                return hash;
            }
        };

        assertThat(Argon2Engines.select(Argon2Implementation.AUTO, () -> wrong)).isInstanceOf(BouncyCastleArgon2.class);
        assertThatIllegalStateException()
                .isThrownBy(() -> Argon2Engines.select(Argon2Implementation.NATIVE, () -> wrong))
                .withMessageContaining("RFC 9106");
    }

    @Test
    void whenTheLibraryThrowsDuringTheSelfTestThenAutoFallsBack() {
        Argon2Engine throwing = new Argon2Engine() {
            @Override
            public String description() {
                return "a library without argon2_ctx";
            }

            @Override
            public byte[] hash(Argon2Input input, byte[] password, int hashLength) {
                throw new UnsatisfiedLinkError("Error looking up function 'argon2_ctx'");
            }
        };

        assertThat(Argon2Engines.select(Argon2Implementation.AUTO, () -> throwing)).isInstanceOf(BouncyCastleArgon2.class);
    }

    @Test
    void whenTheLibraryIsInstalledThenAutoAndNativeChooseItAndBouncyCastleIsChosenWhenAskedFor() {
        nativeEngine();

        assertThat(Argon2Engines.select(Argon2Implementation.AUTO)).isInstanceOf(NativeArgon2.class);
        assertThat(Argon2Engines.select(Argon2Implementation.NATIVE)).isInstanceOf(NativeArgon2.class);
        assertThat(Argon2Engines.select(Argon2Implementation.BOUNCY_CASTLE)).isInstanceOf(BouncyCastleArgon2.class);
    }

    @Test
    void whenThePropertyNamesAnImplementationThenItBinds() {
        UserProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("ostiary.users.argon2-implementation", "bouncy-castle")))
                .bindOrCreate("ostiary.users", UserProperties.class);
        UserProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of("ostiary.users.lockout-threshold", "5")))
                .bindOrCreate("ostiary.users", UserProperties.class);

        assertThat(properties.argon2Implementation()).isEqualTo(Argon2Implementation.BOUNCY_CASTLE);
        assertThat(defaults.argon2Implementation()).isEqualTo(Argon2Implementation.AUTO);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
