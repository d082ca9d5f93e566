package dev.ostiary.logout;

import jakarta.servlet.http.HttpServletRequest;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * The checks Ostiary adds to Spring Authorization Server's RP-initiated logout (OpenID Connect
 * RP-Initiated Logout 1.0 §2, §4), in its pipeline:
 * <ul>
 * <li>the converter: no {@code id_token_hint} is not an error but a request to confirm
 * ({@link LogoutConfirmationRequired}); Spring's converter reads the rest;</li>
 * <li>the provider: the hint must be signed by one of our keys (an expired one is accepted, §2);
 * Spring's provider then finds it among the ID tokens we issued, checks it was issued to the client
 * ({@code aud}, {@code client_id}) and for the signed-in user, and matches
 * {@code post_logout_redirect_uri} exactly against the client's list. A hint that fails the first
 * checks proves no relying party: confirmation again. A wrong redirect URI or {@code client_id} is an
 * error page ({@code invalid_request}), never a redirect.</li>
 * </ul>
 */
final class VerifiedLogoutRequests {

    static final String ID_TOKEN_HINT = "id_token_hint";

    private VerifiedLogoutRequests() {
    }

    /** Signed by one of our keys; lifetime not checked (an expired ID token is a valid hint, §2). */
    static JwtDecoder idTokenSignatures(JWKSource<SecurityContext> keys) {
        NimbusJwtDecoder signatures = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        signatures.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return signatures;
    }

    static AuthenticationConverter converter(AuthenticationConverter spring) {
        return (HttpServletRequest request) -> {
            if (!StringUtils.hasText(request.getParameter(ID_TOKEN_HINT))) {
                throw new LogoutConfirmationRequired(ID_TOKEN_HINT);
            }
            return spring.convert(request);
        };
    }

    static AuthenticationProvider provider(AuthenticationProvider spring, JwtDecoder idTokenSignatures) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) throws AuthenticationException {
                OidcLogoutAuthenticationToken request = (OidcLogoutAuthenticationToken) authentication;
                try {
                    idTokenSignatures.decode(request.getIdTokenHint());
                } catch (JwtException e) {
                    throw new LogoutConfirmationRequired(ID_TOKEN_HINT);
                }
                try {
                    return spring.authenticate(authentication);
                } catch (OAuth2AuthenticationException e) {
                    if (OAuth2ErrorCodes.INVALID_TOKEN.equals(e.getError().getErrorCode())) {
                        // unknown, revoked, another user's or another client's ID token
                        throw new LogoutConfirmationRequired(ID_TOKEN_HINT);
                    }
                    throw e;
                }
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return spring.supports(authentication);
            }
        };
    }
}
