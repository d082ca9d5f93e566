package dev.ostiary.grant;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A grant other than the code flow that asks for consent on the same page (the implicit grant): what
 * it does with the user's answer. The consent provider finds it by the in-flight authorization's grant.
 */
public interface ConsentedGrant {

    /** The grant whose in-flight authorizations this answers. */
    AuthorizationGrantType grantType();

    /** The user approved (some of) the scopes: the grant's outcome. */
    Authentication approved(OAuth2AuthorizationConsentAuthenticationToken answer, OAuth2Authorization inFlight,
            RegisteredClient client);

    /** The user denied the request: the error to send back (RFC 6749 §4.1.2.1 {@code access_denied}). */
    AuthenticationException denied(OAuth2Authorization inFlight, String errorCode, String description);
}
