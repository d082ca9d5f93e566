package dev.ostiary.authorization;

import java.util.Base64;
import java.util.UUID;

/**
 * Access tokens that get no authorization row (client_credentials, implicit): their {@code jti}
 * starts with {@value #JTI_PREFIX}. They are checked by signature and expiry plus the revocation
 * list; every other access token must also be found, active, in its authorization row.
 */
public final class StatelessAccessTokens {

    public static final String JTI_PREFIX = "st_";

    private StatelessAccessTokens() {
    }

    public static String newJti() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return JTI_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    public static boolean isStateless(String jti) {
        return jti != null && jti.startsWith(JTI_PREFIX);
    }
}
