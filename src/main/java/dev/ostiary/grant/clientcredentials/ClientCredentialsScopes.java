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

import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;

/**
 * Scope rules of the client_credentials grant on top of Spring Authorization Server's:
 * <ul>
 * <li>no {@code scope} parameter means every scope the client is registered for and its service
 * roles allow (RFC 6749 §3.3 lets the server pick a default; Keycloak does the same);</li>
 * <li>a requested scope that needs a role the client does not hold is {@code invalid_scope}, as
 * is one the client is not registered for (Spring's own check);</li>
 * <li>the roles are those the client holds now ({@link ServiceRoles}): a self-service client whose
 * owner is gone, locked or disabled gets {@code unauthorized_client}.</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
public final class ClientCredentialsScopes {

    private ClientCredentialsScopes() {
    }

    /** Spring's converter, with the default scopes filled in when the request names none. */
    public static AuthenticationConverter converter(ScopeCatalog catalog, ServiceRoles serviceRoles) {
        OAuth2ClientCredentialsAuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();
        return (HttpServletRequest request) -> {
            Authentication converted = delegate.convert(request);
            if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken token) || !token.getScopes().isEmpty()
                    || !(token.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                    || clientPrincipal.getRegisteredClient() == null) {
                return converted;
            }
            RegisteredClient client = clientPrincipal.getRegisteredClient();
            Set<String> defaults = catalog.allowedFor(client.getScopes(), serviceRoles.current(client).orElse(Set.of()));
            return new OAuth2ClientCredentialsAuthenticationToken(clientPrincipal, new LinkedHashSet<>(defaults),
                    token.getAdditionalParameters());
        };
    }

    /** Spring's validator (scopes within the registration), then the role requirement of each scope. */
    public static java.util.function.Consumer<OAuth2ClientCredentialsAuthenticationContext> validator(
            ScopeCatalog catalog, ServiceRoles serviceRoles) {
        OAuth2ClientCredentialsAuthenticationValidator registered = new OAuth2ClientCredentialsAuthenticationValidator();
        return context -> {
            registered.accept(context);
            RegisteredClient client = context.getRegisteredClient();
            Set<String> requested = ((OAuth2ClientCredentialsAuthenticationToken) context.getAuthentication()).getScopes();
            // a self-service client acts for its owner: not at all once the owner is gone, locked or disabled
            Set<String> roles = serviceRoles.current(client).orElseThrow(() -> new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                            "The client's owner may no longer act: it cannot obtain tokens for itself", null)));
            Set<String> allowed = catalog.allowedFor(requested, roles);
            if (!allowed.containsAll(requested)) {
                Set<String> refused = new LinkedHashSet<>(requested);
                refused.removeAll(allowed);
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        "The client's service roles do not allow scope: " + String.join(" ", refused), null));
            }
        };
    }
}
