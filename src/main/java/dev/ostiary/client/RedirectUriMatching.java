package dev.ostiary.client;

import java.util.function.Consumer;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * How the authorization endpoint matches {@code redirect_uri} (review I1). Spring's validator follows
 * RFC 8252 §7.3 for loopback URIs: any port, even none, matches. That freedom is for native apps,
 * which cannot know their port in advance, so it is kept for public clients only; a confidential
 * client (a web server with a secret or keys) must send exactly a registered URI (RFC 9700 §4.1.3,
 * RFC 6749 §3.1.2.3), and a mismatch is never redirected to.
 */
public final class RedirectUriMatching {

    private static final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> SPRING =
            new OAuth2AuthorizationCodeRequestAuthenticationValidator();

    private RedirectUriMatching() {
    }

    /** Exact matching for confidential clients, then Spring's validation (redirect URI and scopes). */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
        return context -> {
            exactForConfidentialClients(context);
            SPRING.accept(context);
        };
    }

    /** Only the redirect URI part: for callers that check it before anything else. */
    public static void checkRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        exactForConfidentialClients(context);
        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(context);
    }

    private static void exactForConfidentialClients(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        RegisteredClient client = context.getRegisteredClient();
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String requested = request.getRedirectUri();
        // a client described by a metadata document is matched exactly too: it declared its URIs itself
        boolean publicClient = client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
                && OstiaryClientSettings.metadataDocumentHost(client) == null;
        if (publicClient || requested == null || client.getRedirectUris().contains(requested)) {
            // without redirect_uri Spring requires exactly one registered URI and uses it
            return;
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken noRedirect = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (org.springframework.security.core.Authentication)
                        request.getPrincipal(), null, request.getState(), request.getScopes(),
                request.getAdditionalParameters());
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                "OAuth 2.0 Parameter: redirect_uri (must be exactly a registered redirect URI)",
                "https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1"), noRedirect);
    }
}
