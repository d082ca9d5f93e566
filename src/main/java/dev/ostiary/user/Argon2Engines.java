package dev.ostiary.user;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ostiary.user.Argon2Engine.Argon2Input;

/**
 * Chooses the Argon2 implementation the way signing chooses its provider (keys/NativeCryptoProvider):
 * the native one when it loads and computes the known answers right, Bouncy Castle otherwise, and the
 * choice logged ("Password hashing: ..."), since the password grant's throughput depends on it. A
 * library that loads but computes wrong bytes (a broken build, a mismatched ABI) must never hash a
 * password: its hashes would not verify anywhere else, and the self-test keeps it out.
 */
final class Argon2Engines {

    private static final Logger log = LoggerFactory.getLogger(Argon2Engines.class);

    /** RFC 9106 section 5.3: Argon2id, 32 KiB, 3 passes, 4 lanes, with secret and associated data. */
    static final Argon2Input RFC9106_ARGON2ID = new Argon2Input(Argon2Input.ARGON2_ID, 0x13, 32, 3, 4, filled(16, 2),
            filled(8, 3), filled(12, 4));
    static final byte[] RFC9106_PASSWORD = filled(32, 1);
    static final byte[] RFC9106_ARGON2ID_TAG = HexFormat.of()
            .parseHex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

    /**
     * Ostiary's own case: one lane, no secret, a 16-byte salt, as stored passwords are (the value from
     * Bouncy Castle; PooledArgon2PasswordEncoderTest checks it against Spring's encoder too).
     */
    static final Argon2Input OWN_FORMAT = Argon2Input.of(Argon2Input.ARGON2_ID, 0x13, 256, 2, 1,
            "ostiary-selftest".getBytes(StandardCharsets.US_ASCII));
    static final byte[] OWN_FORMAT_PASSWORD = "correct horse".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OWN_FORMAT_TAG = HexFormat.of()
            .parseHex("40a4fb4c07c737b2aecadbcf62a7dd6d4ee927f3fb3ec705ed65c0d144fe4b28");

    private Argon2Engines() {
    }

    /** The implementation {@code mode} asks for, the system's libargon2 by its soname. */
    static Argon2Engine select(Argon2Implementation mode) {
        return select(mode, () -> NativeArgon2.load(NativeArgon2.LIBRARY, new BouncyCastleArgon2()));
    }

    /**
     * @param loadNative loads the native engine; may throw (library or JNA missing)
     * @throws IllegalStateException when {@code mode} is NATIVE and the native engine is unusable
     */
    static Argon2Engine select(Argon2Implementation mode, Supplier<? extends Argon2Engine> loadNative) {
        Argon2Engine chosen;
        if (mode == Argon2Implementation.BOUNCY_CASTLE) {
            chosen = new BouncyCastleArgon2();
        } else {
            String problem;
            Argon2Engine candidate = null;
            try {
                candidate = loadNative.get();
                problem = selfTest(candidate);
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: the library is missing (UnsatisfiedLinkError) or JNA is not on the classpath
                problem = "unavailable (" + firstLine(e) + ")";
            }
            if (problem == null) {
                chosen = candidate;
            } else if (mode == Argon2Implementation.NATIVE) {
                throw new IllegalStateException(
                        "ostiary.users.argon2-implementation=native, but the native Argon2 is " + problem);
            } else {
                log.warn("Native Argon2 {}; using Bouncy Castle's", problem);
                chosen = new BouncyCastleArgon2();
            }
        }
        log.info("Password hashing: {}", chosen.description());
        return chosen;
    }

    /** @return null when the engine computes both known answers, else what went wrong */
    static String selfTest(Argon2Engine engine) {
        if (!java.security.MessageDigest.isEqual(RFC9106_ARGON2ID_TAG,
                engine.hash(RFC9106_ARGON2ID, RFC9106_PASSWORD.clone(), 32))) {
            return "wrong: it failed RFC 9106's Argon2id test vector";
        }
        if (!java.security.MessageDigest.isEqual(OWN_FORMAT_TAG, engine.hash(OWN_FORMAT, OWN_FORMAT_PASSWORD.clone(), 32))) {
            return "wrong: it failed the known answer for one lane and a 16-byte salt";
        }
        return null;
    }

    /** JNA's UnsatisfiedLinkError lists the whole class path after the first line. */
    private static String firstLine(Throwable e) {
        String text = e.toString();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
