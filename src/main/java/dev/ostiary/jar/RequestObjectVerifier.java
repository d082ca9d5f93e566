package dev.ostiary.jar;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.replay.SeenJtis;

/**
 * Verifies a request object (RFC 9101 §6): a JWT signed (never {@code none}, no shared-secret MAC:
 * the client's public keys are what proves it wrote the request) by the client's own keys, the same
 * ones its {@code private_key_jwt} assertions are verified with ({@link ClientAssertionDecoders#keysOf}),
 * typed {@code oauth-authz-req+jwt} or untyped (RFC 9101 §10.8), {@code iss} the client, {@code aud}
 * our issuer, {@code exp} required and near, {@code nbf} not in the future, {@code jti} used once.
 */
public class RequestObjectVerifier {

    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);
    static final Duration LONGEST_LIFETIME = Duration.ofMinutes(10);
    static final Duration CLOCK_SKEW = SeenJtis.DEFAULT_ACCEPTED_SKEW;
    private static final JOSEObjectType REQUEST_OBJECT_TYPE = new JOSEObjectType("oauth-authz-req+jwt");

    private final ClientAssertionDecoders keys;
    private final SeenJtis seen;
    private final Clock clock;

    public RequestObjectVerifier(ClientAssertionDecoders keys, SeenJtis seen, Clock clock) {
        this.keys = keys;
        this.seen = seen;
        this.clock = clock;
    }

    /** A request object that is refused; its message is safe to show (it names a rule, no content). */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @param claimJti whether to record the jti's use now (once per authorization request, when it can
     *                 lead to a code: not on the visit that only leads to the login page)
     */
    public JWTClaimsSet verify(String requestObject, RegisteredClient client, String issuer, boolean claimJti)
            throws Refused {
        SignedJWT signed;
        try {
            if (!(JWTParser.parse(requestObject) instanceof SignedJWT jws)) {
                throw new Refused("The request object must be signed");
            }
            signed = jws;
        } catch (ParseException e) {
            throw new Refused("The request object is not a JWT");
        }
        if (!ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
            throw new Refused("The request object must be signed with RS256, PS256 or ES256");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(REQUEST_OBJECT_TYPE, JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys.keysOf(client)));
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (Exception e) {
            throw new Refused("The request object's signature or type is not valid for this client");
        }
        checkClaims(claims, client.getClientId(), issuer);
        if (claimJti && !seen.firstUse(SeenJtis.Kind.REQUEST_OBJECT, client.getClientId(), claims.getJWTID(),
                claims.getExpirationTime().toInstant())) {
            throw new Refused("The request object was already used");
        }
        return claims;
    }

    private void checkClaims(JWTClaimsSet claims, String clientId, String issuer) throws Refused {
        Instant now = clock.instant();
        if (!clientId.equals(claims.getIssuer())) {
            throw new Refused("iss must be the client id");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(issuer)) {
            throw new Refused("aud must be this authorization server's issuer");
        }
        if (claims.getExpirationTime() == null) {
            throw new Refused("exp is required");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (exp.isBefore(now.minus(CLOCK_SKEW))) {
            throw new Refused("The request object has expired");
        }
        if (exp.isAfter(now.plus(LONGEST_LIFETIME))) {
            throw new Refused("exp must be at most 10 minutes ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new Refused("The request object is not valid yet (nbf)");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            throw new Refused("jti is required");
        }
        Object inner = claims.getClaim("client_id");
        if (inner != null && !clientId.equals(inner)) {
            throw new Refused("client_id in the request object must be the client's");
        }
    }
}
