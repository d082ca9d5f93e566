package dev.ostiary.authorization;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * Access tokens that get no authorization row (the grants whose registration says so,
 * {@code GrantRegistration.statelessAccessTokens}: client_credentials, implicit): their {@code jti}
 * starts with {@value #JTI_PREFIX} and ends with the grant that issued them, after a {@code .} (never
 * in base64url). They are checked by signature and expiry plus the revocation list; every other
 * access token must also be found, active, in its authorization row. The grant travels in the token
 * so that introspection, revocation and the admin API need not guess it.
 */
public final class StatelessAccessTokens {

    public static final String JTI_PREFIX = "st_";
    private static final char GRANT_SEPARATOR = '.';

    private StatelessAccessTokens() {
    }

    /** A fresh {@code jti} for a stateless access token issued by {@code grant}. */
    public static String newJti(AuthorizationGrantType grant) {
        UUID uuid = UUID.randomUUID();
        byte[] random = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
        return JTI_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random) + GRANT_SEPARATOR
                + grant.getValue();
    }

    public static boolean isStateless(String jti) {
        return jti != null && jti.startsWith(JTI_PREFIX);
    }

    /**
     * The grant that issued a stateless token; empty for tokens of another kind and for stateless
     * tokens issued before the grant travelled in the {@code jti}.
     */
    public static Optional<AuthorizationGrantType> grantOf(String jti) {
        if (!isStateless(jti)) {
            return Optional.empty();
        }
        int separator = jti.indexOf(GRANT_SEPARATOR);
        return separator < 0 || separator == jti.length() - 1 ? Optional.empty()
                : Optional.of(new AuthorizationGrantType(jti.substring(separator + 1)));
    }

    /**
     * The grant that issued a stateless token, as {@link #grantOf(String)}, and for a stateless
     * token issued before the grant travelled in the {@code jti} the guess made then: a client acting
     * for itself ({@code sub == client_id}) is client_credentials, anything else implicit, the only
     * two stateless grants at the time. Empty for tokens of another kind (they have a row, which
     * names the grant). The guess can go once such tokens have expired (a client's access-token
     * lifetime after the upgrade).
     */
    public static Optional<AuthorizationGrantType> grantOrGuess(String jti, String subject, String clientId) {
        if (!isStateless(jti)) {
            return Optional.empty();
        }
        return grantOf(jti).or(() -> Optional.of(Objects.equals(subject, clientId)
                ? AuthorizationGrantType.CLIENT_CREDENTIALS : OstiaryGrantTypes.IMPLICIT));
    }
}
