package dev.ostiary.dpop;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.problem.OAuth2ErrorResponse;
import dev.ostiary.replay.SeenJtis;

/**
 * What Spring Authorization Server does not do for DPoP at the token endpoint (it checks the proof's
 * signature, {@code htm}, {@code htu}, {@code iat} and binds the token):
 * <ul>
 * <li>server nonces: a proof without a current nonce gets {@code use_dpop_nonce} and a fresh
 * {@code DPoP-Nonce} (RFC 9449 §8), so proofs cannot be made in advance;</li>
 * <li>one-time {@code jti} across every instance, not just in one JVM's memory;</li>
 * <li>clients registered as DPoP-only cannot get a token without a proof.</li>
 * </ul>
 * It runs in the authorization server's chain right after client authentication, matched by the
 * token endpoint's own {@link RequestMatcher}: so every spelling of the path that reaches the
 * endpoint meets it, {@code require_dpop} is read from the authenticated client (not from a claimed
 * id), and an unauthenticated request (refused by the endpoint anyway) costs no database write. The
 * proof's {@code jti} is recorded in PostgreSQL only once its signature verifies against its own
 * {@code jwk} (RFC 9449 §4.3 steps 5–7), so a forged proof costs no write either. Every answer
 * carries the current nonce.
 */
public class DPoPTokenEndpointFilter extends OncePerRequestFilter {

    private static final Duration JTI_MEMORY = Duration.ofMinutes(10);
    private static final JOSEObjectType DPOP_TYPE = new JOSEObjectType("dpop+jwt");

    private final DPoPNonces nonces;
    private final SeenJtis seen;
    private final RequestMatcher tokenEndpoint;
    private final boolean nonceRequired;

    public DPoPTokenEndpointFilter(DPoPNonces nonces, SeenJtis seen, RequestMatcher tokenEndpoint,
            boolean nonceRequired) {
        this.nonces = nonces;
        this.seen = seen;
        this.tokenEndpoint = tokenEndpoint;
        this.nonceRequired = nonceRequired;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !tokenEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("DPoP-Nonce", nonces.current());
        RegisteredClient client = authenticatedClient();
        if (client == null) {
            chain.doFilter(request, response);
            return;
        }
        java.util.List<String> proofs = Collections.list(request.getHeaders("DPoP"));
        if (proofs.isEmpty()) {
            if (OstiaryClientSettings.requireDpop(client)) {
                error(response, "invalid_dpop_proof", "This client must send a DPoP proof");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (proofs.size() != 1) {
            error(response, "invalid_dpop_proof", "Exactly one DPoP header is allowed");
            return;
        }
        SignedJWT proof;
        JWTClaimsSet claims;
        try {
            proof = SignedJWT.parse(proofs.get(0));
            claims = proof.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            error(response, "invalid_dpop_proof", "The DPoP proof is not a signed JWT");
            return;
        }
        Object nonce = claims.getClaim("nonce");
        if (nonceRequired && !(nonce instanceof String value && nonces.valid(value))) {
            error(response, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof");
            return;
        }
        JWK key = proof.getHeader().getJWK();
        String jti = claims.getJWTID();
        if (key == null || jti == null || jti.isBlank()) {
            error(response, "invalid_dpop_proof", "The DPoP proof needs a jwk header and a jti");
            return;
        }
        if (!DPOP_TYPE.equals(proof.getHeader().getType()) || !signatureVerifies(proof, key)) {
            error(response, "invalid_dpop_proof", "The DPoP proof's signature does not verify");
            return;
        }
        String thumbprint;
        try {
            thumbprint = key.computeThumbprint().toString();
        } catch (com.nimbusds.jose.JOSEException e) {
            error(response, "invalid_dpop_proof", "The DPoP proof's key is unusable");
            return;
        }
        if (!seen.firstUse(SeenJtis.Kind.DPOP_PROOF, thumbprint, jti, Instant.now().plus(JTI_MEMORY))) {
            error(response, "invalid_dpop_proof", "This DPoP proof was already used");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The client that OAuth2ClientAuthenticationFilter authenticated for this request, if any. */
    private static RegisteredClient authenticatedClient() {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        return authentication instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
                ? client.getRegisteredClient() : null;
    }

    /**
     * The proof's signature under the public key in its own header, with an asymmetric algorithm
     * (RFC 9449 §4.3: {@code alg} not {@code none} nor symmetric, {@code jwk} without a private part).
     * Spring verifies it again later, with the {@code htm}, {@code htu} and {@code iat} checks.
     */
    private static boolean signatureVerifies(SignedJWT proof, JWK key) {
        if (key.isPrivate()) {
            return false;
        }
        try {
            JWSVerifier verifier;
            if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(proof.getHeader().getAlgorithm())) {
                verifier = new ECDSAVerifier(ec);
            } else if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(proof.getHeader().getAlgorithm())) {
                verifier = new RSASSAVerifier(rsa);
            } else {
                return false;
            }
            return proof.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static void error(HttpServletResponse response, String error, String description) throws IOException {
        OAuth2ErrorResponse.send(response, HttpStatus.BAD_REQUEST, error, description);
    }
}
