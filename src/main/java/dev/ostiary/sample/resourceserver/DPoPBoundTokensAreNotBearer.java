package dev.ostiary.sample.resourceserver;

import jakarta.servlet.http.HttpServletRequest;

import com.nimbusds.jwt.JWTParser;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * A token bound to a key ({@code cnf.jkt}) is only good with a proof of that key: presented as a
 * plain Bearer token it is refused (RFC 9449 §7.2), or a thief could use it without the key.
 */
final class DPoPBoundTokensAreNotBearer implements BearerTokenResolver {

    private final DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();

    @Override
    public String resolve(HttpServletRequest request) {
        String token = bearer.resolve(request);
        if (token != null && boundToAKey(token)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    "This token is DPoP-bound: send it with the DPoP scheme and a proof", null));
        }
        return token;
    }

    private static boolean boundToAKey(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getClaim("cnf") != null;
        } catch (java.text.ParseException e) {
            return false;
        }
    }
}
