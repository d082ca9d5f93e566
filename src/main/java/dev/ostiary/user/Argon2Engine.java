package dev.ostiary.user;

/**
 * One implementation of the Argon2 function (RFC 9106): Bouncy Castle's, or the system's libargon2.
 * Both compute the same bytes for the same input (checked at start by a known-answer test, see
 * {@link Argon2Engines}), so hashes written by one verify with the other. An engine keeps working
 * memory per calling thread: it is called from a few long-lived hashing threads only.
 */
interface Argon2Engine {

    /** For the start-up log line, e.g. "libargon2 (native, libargon2.so.1)". */
    String description();

    /**
     * @param password the password bytes; not kept, and not changed (the caller zeroes them)
     * @return {@code hashLength} bytes
     */
    byte[] hash(Argon2Input input, byte[] password, int hashLength);

    /**
     * Everything Argon2 takes besides the password. {@code secret} and {@code associatedData} are
     * empty for stored passwords; RFC 9106's test vectors use them.
     *
     * @param type 0 Argon2d, 1 Argon2i, 2 Argon2id (the same numbers in libargon2 and Bouncy Castle)
     * @param version 0x10 or 0x13
     */
    record Argon2Input(int type, int version, int memoryKib, int iterations, int lanes, byte[] salt, byte[] secret,
            byte[] associatedData) {

        static final int ARGON2_ID = 2;

        static Argon2Input of(int type, int version, int memoryKib, int iterations, int lanes, byte[] salt) {
            return new Argon2Input(type, version, memoryKib, iterations, lanes, salt, new byte[0], new byte[0]);
        }
    }
}
