package dev.ostiary.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import dev.ostiary.authorization.AccessTokenAuthorizations;

/**
 * Decides nginx's {@code auth_request} for one request: is the client's bearer token one of ours,
 * current, meant for this API (its {@code aud}), not revoked, and does it carry the scopes the
 * location needs? Everything but revocation is decided in memory: the signature against the
 * in-memory key set ({@code keys/SigningKeySet}), the claims with this class's clock. Revocation is
 * asked of the authorization store exactly as introspection asks it: a stateless token
 * (client_credentials, implicit) against the in-memory revocation list, a row-backed token (code,
 * password, refresh, device, exchange) by one indexed read of one column ({@code access_token_invalidated})
 * found by its digest. That lookup happens only
 * for a token that already passed every other check, so forged or foreign tokens cost no database.
 *
 * <p>Answers follow RFC 6750 §3: no bearer token, 401 with a bare challenge; a bad one, 401
 * {@code invalid_token}; too little scope, 403 {@code insufficient_scope} with the scope needed. A
 * malformed request (two {@code Authorization} headers, the DPoP scheme) is {@code invalid_request},
 * answered 401, not §3.1's 400: nginx passes on only 401 and 403, and turns a 400 into a 500.
 */
public final class GatewayCheck {

    /** Longer than any token we issue: refused before it is parsed. */
    static final int MAX_TOKEN_LENGTH = 8192;
    /** Tokens carry whole seconds and another node's clock may be a little ahead: nbf only, never exp. */
    static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(5);

    /** RFC 6750 §2.1 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** RFC 6749 §3.3 scope-token, so a required scope can be quoted in the challenge as it is. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    /** An audience the challenge never echoes, but a header value still: printable, no quotes, no spaces. */
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /**
     * What may go into an upstream header as it is: visible ASCII. A servlet container writes other
     * characters as {@code ?}, so two subjects could reach the API as one; such a token is refused.
     */
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7E]+");

    private final JwtDecoder signatures;
    private final AccessTokenAuthorizations authorizations;
    private final Optional<String> issuer;
    private final Duration cacheFor;
    private final Clock clock;

    /**
     * @param signatures verifies the signature against our published keys and the type ({@code at+jwt})
     * @param issuer the fixed issuer every token's {@code iss} must equal; empty when the issuer is derived
     *        from each request (development), where only our own signature vouches for the token
     * @param cacheFor how long nginx may keep an answer, at most (an allowed token: never past its expiry)
     */
    public GatewayCheck(JwtDecoder signatures, AccessTokenAuthorizations authorizations, Optional<String> issuer,
            Duration cacheFor, Clock clock) {
        this.signatures = signatures;
        this.authorizations = authorizations;
        this.issuer = issuer;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    public GatewayAnswer check(GatewayRequest request) {
        if (request.requiredAudience().size() != 1 || !AUDIENCE.matcher(request.requiredAudience().get(0)).matches()) {
            return new GatewayAnswer.Misconfigured("X-Required-Audience must be set once, to the API's resource identifier");
        }
        if (request.requiredScope().size() > 1) {
            return new GatewayAnswer.Misconfigured("X-Required-Scope must be set at most once");
        }
        Set<String> required = request.requiredScope().isEmpty() ? Set.of() : scopes(request.requiredScope().get(0));
        if (required.isEmpty() && !request.requiredScope().isEmpty()
                || !required.stream().allMatch(s -> SCOPE_TOKEN.matcher(s).matches())) {
            return new GatewayAnswer.Misconfigured("X-Required-Scope must be space-separated scope tokens (RFC 6749 §3.3)");
        }
        if (request.authorization().isEmpty()) {
            return refused(null, null);
        }
        if (request.authorization().size() > 1) {
            return invalidRequest("The request carries more than one Authorization header");
        }
        String credentials = request.authorization().get(0).strip();
        int space = credentials.indexOf(' ');
        String scheme = (space < 0 ? credentials : credentials.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.equals("dpop")) {
            return invalidRequest("This gateway accepts Bearer tokens only, not DPoP (RFC 9449)");
        }
        if (!scheme.equals("bearer")) {
            // Basic, Digest, …: the request carries no bearer token, so no error code (RFC 6750 §3)
            return refused(null, null);
        }
        String token = space < 0 ? "" : credentials.substring(space + 1).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !B64TOKEN.matcher(token).matches()) {
            return invalidToken("The access token is malformed");
        }
        return check(token, request.requiredAudience().get(0), required);
    }

    private GatewayAnswer check(String token, String audience, Set<String> required) {
        Jwt jwt;
        try {
            jwt = signatures.decode(token);
        } catch (JwtException e) {
            return invalidToken("The access token is invalid");
        }
        if (issuer.isPresent() && !issuer.get().equals(jwt.getClaimAsString("iss"))) {
            return invalidToken("The access token was issued by another server");
        }
        Instant now = clock.instant();
        if (jwt.getExpiresAt() == null || !now.isBefore(jwt.getExpiresAt())) {
            return invalidToken("The access token expired");
        }
        if (jwt.getNotBefore() != null && now.plus(NOT_BEFORE_LEEWAY).isBefore(jwt.getNotBefore())) {
            return new GatewayAnswer.Refused(401, "invalid_token", "The access token is not valid yet", null,
                    Duration.ZERO);
        }
        if (jwt.getClaims().containsKey("cnf")) {
            // RFC 9449 §7.2: a bound token is not a bearer token; presenting it as one must fail
            return invalidToken("The access token is bound to a key (cnf); this gateway accepts unbound Bearer tokens only");
        }
        List<String> audiences = jwt.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            return invalidToken("The access token is not meant for this API");
        }
        Set<String> granted = scopes(jwt.getClaims().get("scope"));
        if (!active(jwt)) {
            return invalidToken("The access token was revoked");
        }
        if (!granted.containsAll(required)) {
            return new GatewayAnswer.Refused(403, "insufficient_scope", "The access token lacks a scope this API requires",
                    String.join(" ", required), cacheFor);
        }
        String subject = jwt.getSubject();
        String clientId = jwt.getClaimAsString("client_id");
        if (!headerSafe(subject) || clientId != null && !headerSafe(clientId)
                || !granted.stream().allMatch(GatewayCheck::headerSafe)) {
            return invalidToken("The access token's subject, client or scope cannot be passed on in a header");
        }
        Duration untilExpiry = Duration.between(now, jwt.getExpiresAt());
        return new GatewayAnswer.Allowed(subject, clientId, String.join(" ", granted),
                untilExpiry.compareTo(cacheFor) < 0 ? untilExpiry : cacheFor);
    }

    /**
     * What introspection would say: still in the store (or, stateless, not listed), not invalidated.
     * Expiry and nbf were decided with this class's clock; the store only says revoked or not.
     */
    private boolean active(Jwt jwt) {
        return authorizations.isActive(jwt);
    }

    private GatewayAnswer.Refused refused(String error, String description) {
        return new GatewayAnswer.Refused(401, error, description, null, cacheFor);
    }

    private GatewayAnswer.Refused invalidToken(String description) {
        return refused("invalid_token", description);
    }

    private GatewayAnswer.Refused invalidRequest(String description) {
        return refused("invalid_request", description);
    }

    private static boolean headerSafe(String value) {
        return value != null && HEADER_VALUE.matcher(value).matches();
    }

    private static Set<String> scopes(Object scope) {
        if (scope instanceof String s) {
            Set<String> scopes = new LinkedHashSet<>(Arrays.asList(s.split(" ")));
            scopes.remove("");
            return scopes;
        }
        if (scope instanceof Collection<?> c) {
            return new LinkedHashSet<>(c.stream().map(Object::toString).toList());
        }
        return Set.of();
    }
}
