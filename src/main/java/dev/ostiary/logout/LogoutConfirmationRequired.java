package dev.ostiary.logout;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * A logout request that does not prove which relying party sent it: no {@code id_token_hint}, or one
 * we did not issue, or issued to someone else. OpenID Connect RP-Initiated Logout 1.0 §2 and §6: the
 * OP then asks the user, so a cross-site GET cannot sign anyone out unasked.
 */
final class LogoutConfirmationRequired extends OAuth2AuthenticationException {

    LogoutConfirmationRequired(String parameter) {
        super(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "The logout request needs the user's confirmation ("
                + parameter + ")", "https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout"));
    }
}
