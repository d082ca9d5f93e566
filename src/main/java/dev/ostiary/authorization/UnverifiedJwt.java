package dev.ostiary.authorization;

import java.text.ParseException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;

/**
 * The one place that reads a JWT without verifying it. Nothing read here decides whether a token is
 * valid; it is only used
 * <ul>
 * <li>to route a lookup (is the value a JWT at all, does its {@code jti} say it is stateless), after
 * which the token is verified or found by its digest anyway;</li>
 * <li>for the claims of an access token whose digest matched a stored one, i.e. a token we issued
 * and signed ourselves.</li>
 * </ul>
 */
final class UnverifiedJwt {

    private UnverifiedJwt() {
    }

    /** Three dot-separated parts, as a JWS has (RFC 7515 §7.1); cheaper than a parse. */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }

    /** The jti of a token we may have issued, or null: only used to route the lookup. */
    static String jti(String token) {
        if (token == null || !looksLikeJwt(token)) {
            return null;
        }
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getJWTID();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The claims of a token whose digest matched a stored one (so one we issued), with the time
     * claims as {@link Instant}s as Spring's own JWTs have them; null if it is no JWT.
     */
    static Map<String, Object> claims(String token) {
        try {
            Map<String, Object> claims = new HashMap<>(JWTParser.parse(token).getJWTClaimsSet().toJSONObject());
            for (String instantClaim : List.of("iat", "exp", "nbf")) {
                if (claims.get(instantClaim) instanceof Number seconds) {
                    claims.put(instantClaim, Instant.ofEpochSecond(seconds.longValue()));
                }
            }
            return claims;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
