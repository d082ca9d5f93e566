package dev.ostiary.dpop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.client.OstiaryClientSettings;
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
 * Every answer carries the current nonce.
 */
public class DPoPTokenEndpointFilter extends OncePerRequestFilter {

    private static final Duration JTI_MEMORY = Duration.ofMinutes(10);

    private final DPoPNonces nonces;
    private final SeenJtis seen;
    private final RegisteredClientRepository clients;
    private final boolean nonceRequired;

    public DPoPTokenEndpointFilter(DPoPNonces nonces, SeenJtis seen, RegisteredClientRepository clients,
            boolean nonceRequired) {
        this.nonces = nonces;
        this.seen = seen;
        this.clients = clients;
        this.nonceRequired = nonceRequired;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !"/oauth2/token".equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("DPoP-Nonce", nonces.current());
        java.util.List<String> proofs = Collections.list(request.getHeaders("DPoP"));
        if (proofs.isEmpty()) {
            RegisteredClient client = claimedClient(request);
            if (client != null && OstiaryClientSettings.requireDpop(client)) {
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

    private RegisteredClient claimedClient(HttpServletRequest request) {
        String clientId = null;
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                clientId = java.net.URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        } else {
            clientId = request.getParameter("client_id");
        }
        return clientId == null ? null : clients.findByClientId(clientId);
    }

    private static void error(HttpServletResponse response, String error, String description) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        String body = new tools.jackson.databind.json.JsonMapper().writeValueAsString(
                Map.of("error", error, "error_description", description));
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
