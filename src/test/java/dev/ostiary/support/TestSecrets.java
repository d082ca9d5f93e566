package dev.ostiary.support;

import java.security.SecureRandom;
import java.util.Base64;

/** A master key and pepper generated once per test JVM, shared by every context (restarts included). */
public final class TestSecrets {

    public static final String MASTER_KEY = random32();
    public static final String PEPPER = random32();

    private TestSecrets() {
    }

    private static String random32() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
