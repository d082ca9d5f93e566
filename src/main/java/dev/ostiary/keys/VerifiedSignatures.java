package dev.ostiary.keys;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import dev.ostiary.crypto.Digests;

/**
 * Our own token verification with its signature check remembered per token. A resource server
 * introspects the same token at each of its requests, and the signature check (an RSA or ECDSA
 * verification, the largest single item of an introspection) gives the same answer for the same
 * token against the same keys, so it is done once per token and key set.
 *
 * What is remembered is only that these exact bytes (keyed by their SHA-256) verified against one
 * snapshot of the key set: a cached result counts only while that snapshot is still the current one.
 * Any change to the key table (a key revoked, rotated, retired or added, here or on another
 * instance) swaps the snapshot, so every cached result is void at once and the token is verified
 * again against the new keys: a token of a revoked key is inactive at its next introspection, as
 * without the cache. The claim checks ({@code typ}, lifetime, issuer) run on every call, so an
 * expired token is refused at the same instant; the revocation list and the holder checks that
 * callers apply after this decoder are not touched. Failures are never cached.
 */
final class VerifiedSignatures implements JwtDecoder {

    /** A token that verified, and the key set it verified against. */
    private record Verified(Jwt jwt, SigningKeySet.Snapshot keys) {
    }

    private final JwtDecoder signatures;
    private final OAuth2TokenValidator<Jwt> claims;
    private final Supplier<SigningKeySet.Snapshot> currentKeys;
    private final Cache<ByteBuffer, Verified> verified;

    /**
     * @param signatures checks the signature and parses the claims, and validates nothing else
     * @param claims the checks that must hold at every use (type, lifetime, issuer)
     * @param currentKeys the key set {@code signatures} verifies against, at this moment
     * @param maximumSize tokens remembered (LRU-like); 0 remembers none
     */
    VerifiedSignatures(JwtDecoder signatures, OAuth2TokenValidator<Jwt> claims,
            Supplier<SigningKeySet.Snapshot> currentKeys, int maximumSize) {
        this.signatures = signatures;
        this.claims = claims;
        this.currentKeys = currentKeys;
        this.verified = maximumSize == 0 ? null : Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt;
        if (verified == null) {
            jwt = signatures.decode(token);
        } else {
            ByteBuffer key = ByteBuffer.wrap(Digests.sha256(token));
            SigningKeySet.Snapshot keys = currentKeys.get();
            Verified hit = verified.getIfPresent(key);
            if (hit != null && hit.keys() == keys) {
                jwt = hit.jwt();
            } else {
                // the snapshot read BEFORE verifying: if the keys change meanwhile, the entry is stale
                // at its first use and the token is verified again (never the other way round)
                jwt = signatures.decode(token);
                verified.put(key, new Verified(jwt, keys));
            }
        }
        OAuth2TokenValidatorResult result = claims.validate(jwt);
        if (result.hasErrors()) {
            // the message NimbusJwtDecoder gives for the same failure
            String description = result.getErrors().stream().map(OAuth2Error::getDescription)
                    .filter(d -> d != null && !d.isEmpty()).findFirst().orElse(null);
            throw new JwtValidationException(description == null ? "Unable to validate Jwt"
                    : "An error occurred while attempting to decode the Jwt: " + description, result.getErrors());
        }
        return jwt;
    }
}
