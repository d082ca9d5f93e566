package dev.ostiary.stepup;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * {@code acr}, {@code amr} and {@code auth_time} (OIDC Core §2; RFC 9068 §2.2.3; RFC 8176) in a user's
 * access and ID tokens, read off the sign-in that the authorization holds ({@link SignInLevel}). A
 * refresh reads the same stored sign-in, so it keeps the original level and time and never upgrades
 * them; a token a client got for itself (client_credentials) carries none. Introspection answers with
 * the access token's claims, these included.
 *
 * <p>Before an access token is made, the policy is held against the sign-in once more
 * ({@link SecondFactorPolicy}): a grant whose sign-in is weaker than the client or a granted scope
 * requires (the password grant without its second factor, a device code approved by a password-only
 * session, the refresh of a grant made before the policy) is {@code invalid_grant} (RFC 6749 §5.2).
 */
public final class SignInClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final SecondFactorPolicy policy;

    public SignInClaims(SecondFactorPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        Authentication principal = context.getPrincipal();
        if (principal == null || principal instanceof OAuth2ClientAuthenticationToken) {
            return;
        }
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        if (!accessToken && !OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            return;
        }
        SignInLevel level = SignInLevel.of(principal);
        int required = accessToken ? policy.requiredRank(context.getRegisteredClient(), context.getAuthorizedScopes()) : 1;
        // only a second factor is checked here: being signed in at all is what made the grant
        if (required > 1 && !level.reaches(required)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The client or a requested scope requires a sign-in with a second factor",
                    "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2"));
        }
        if (level.acr() == null) {
            return;
        }
        context.getClaims().claims(claims -> {
            claims.put(SignInLevel.ACR, level.acr());
            // an ArrayList: the stored ID token's claims go through Spring Security's Jackson allow-list
            claims.put(SignInLevel.AMR, new java.util.ArrayList<>(level.amr()));
            // a Date, as Spring's own auth_time: the JWT encoder writes it as seconds since the epoch
            claims.put(SignInLevel.AUTH_TIME, java.util.Date.from(level.authTime()));
        });
    }
}
