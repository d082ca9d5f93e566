package dev.ostiary.consent;

import java.util.Set;
import java.util.function.Predicate;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.OstiaryClientSettings;

/**
 * When the authorization endpoint asks the user (Spring Authorization Server's
 * {@code authorizationConsentRequired}). Spring's rule, except that its exemption for a request of
 * {@code openid} alone holds only for first-party clients: a client registered by a user or by
 * dynamic registration would otherwise learn who a signed-in visitor is without them ever seeing a
 * page (review M6). Third-party clients are always asked until the user has allowed every scope
 * requested.
 */
public final class ConsentRequired implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        RegisteredClient client = context.getRegisteredClient();
        boolean thirdParty = OstiaryClientSettings.thirdParty(client);
        if (!thirdParty && !client.getClientSettings().isRequireAuthorizationConsent()) {
            return false;
        }
        Set<String> requested = context.getAuthorizationRequest().getScopes();
        if (!thirdParty && requested.size() == 1 && requested.contains(OidcScopes.OPENID)) {
            return false;
        }
        OAuth2AuthorizationConsent previous = context.getAuthorizationConsent();
        return previous == null || !previous.getScopes().containsAll(requested);
    }
}
