package dev.ostiary.grant.clientcredentials;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.scope.ScopeCatalog;

/**
 * Scope rules of the client_credentials grant on top of Spring Authorization Server's:
 * <ul>
 * <li>no {@code scope} parameter means every scope the client is registered for and its service
 * roles allow (RFC 6749 §3.3 lets the server pick a default; Keycloak does the same);</li>
 * <li>a requested scope that needs a role the client does not hold is {@code invalid_scope}, as
 * is one the client is not registered for (Spring's own check).</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
public final class ClientCredentialsScopes {

    private ClientCredentialsScopes() {
    }

    /** Spring's converter, with the default scopes filled in when the request names none. */
    public static AuthenticationConverter converter(ScopeCatalog catalog) {
        OAuth2ClientCredentialsAuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();
        return (HttpServletRequest request) -> {
            Authentication converted = delegate.convert(request);
            if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken token) || !token.getScopes().isEmpty()
                    || !(token.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                    || clientPrincipal.getRegisteredClient() == null) {
                return converted;
            }
            RegisteredClient client = clientPrincipal.getRegisteredClient();
            Set<String> defaults = catalog.allowedFor(client.getScopes(), OstiaryClientSettings.serviceRoles(client));
            return new OAuth2ClientCredentialsAuthenticationToken(clientPrincipal, new LinkedHashSet<>(defaults),
                    token.getAdditionalParameters());
        };
    }

    /** Spring's validator (scopes within the registration), then the role requirement of each scope. */
    public static java.util.function.Consumer<OAuth2ClientCredentialsAuthenticationContext> validator(
            ScopeCatalog catalog) {
        OAuth2ClientCredentialsAuthenticationValidator registered = new OAuth2ClientCredentialsAuthenticationValidator();
        return context -> {
            registered.accept(context);
            RegisteredClient client = context.getRegisteredClient();
            Set<String> requested = ((OAuth2ClientCredentialsAuthenticationToken) context.getAuthentication()).getScopes();
            Set<String> allowed = catalog.allowedFor(requested, OstiaryClientSettings.serviceRoles(client));
            if (!allowed.containsAll(requested)) {
                Set<String> refused = new LinkedHashSet<>(requested);
                refused.removeAll(allowed);
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        "The client's service roles do not allow scope: " + String.join(" ", refused), null));
            }
        };
    }
}
