package dev.ostiary.authorization;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Runs ahead of Spring's refresh_token provider. Refresh tokens rotate on every use; presenting one
 * that was already replaced means two parties hold the family, so every token in it is revoked and
 * the request fails with {@code invalid_grant}. Otherwise returns null and Spring's provider goes on.
 * Only the client the family was issued to revokes it, and a public client only with a proof signed
 * by the family's DPoP key (issue 13, L3). This catches a reuse that comes after the
 * rotation; one that races with it is caught by the rotation itself, a compare-and-swap in
 * {@link SingleUseConsumption}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2</a>
 */
public final class RefreshTokenReuseDetection implements AuthenticationProvider {

    private final RefreshTokenFamilies families;

    public RefreshTokenReuseDetection(RefreshTokenFamilies families) {
        this.families = families;
    }

    /**
     * The RFC 7638 thumbprint of the key that signed {@code proof}, when the signature verifies with
     * the key in its header; else null. Only possession is checked here: whether the proof is fresh
     * and for this request is the DPoP filter's and Spring's business, and a request with a bad proof
     * fails there anyway.
     */
    static String provenKeyThumbprint(Object proof) {
        if (!(proof instanceof String value) || value.length() > 8192) {
            return null;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(value);
            JWK jwk = jwt.getHeader().getJWK();
            if (jwk == null || jwk.isPrivate()) {
                return null;
            }
            java.security.Key key = jwk instanceof AsymmetricJWK asymmetric ? asymmetric.toPublicKey() : null;
            if (key == null || !jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key))) {
                return null;
            }
            return jwk.computeThumbprint().toString();
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2RefreshTokenAuthenticationToken refresh = (OAuth2RefreshTokenAuthenticationToken) authentication;
        // only an authenticated client can revoke, and only its own families (issue 13, L3)
        if (!(refresh.getPrincipal() instanceof OAuth2ClientAuthenticationToken principal) || !principal.isAuthenticated()
                || principal.getRegisteredClient() == null) {
            return null;
        }
        RegisteredClient client = principal.getRegisteredClient();
        boolean revoked;
        if (ClientAuthenticationMethod.NONE.equals(principal.getClientAuthenticationMethod())) {
            // a public client has no credential: its DPoP key is what it proves (RFC 9449 §5)
            String thumbprint = provenKeyThumbprint(refresh.getAdditionalParameters().get("dpop_proof"));
            revoked = thumbprint != null
                    && families.revokeFamilyIfRotated(refresh.getRefreshToken(), client, thumbprint);
        } else {
            revoked = families.revokeFamilyIfRotated(refresh.getRefreshToken(), client);
        }
        if (revoked) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The refresh token was already used; every token issued with it has been revoked", null));
        }
        return null;
    }
}
