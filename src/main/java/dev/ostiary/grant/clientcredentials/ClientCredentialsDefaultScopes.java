package dev.ostiary.grant.clientcredentials;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;

/**
 * Spring's client credentials converter, with the default scopes filled in when the request names
 * none: every scope the client is registered for and its service roles allow (RFC 6749 §3.3 lets the
 * server pick a default; Keycloak does the same). A request naming resources (RFC 8707) gets those of
 * them allowed at its resources, so that asking for a resource alone gets a token fit for it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2">RFC 6749 §4.4.2</a>
 */
public final class ClientCredentialsDefaultScopes implements AuthenticationConverter {

    private final OAuth2ClientCredentialsAuthenticationConverter spring = new OAuth2ClientCredentialsAuthenticationConverter();
    private final ScopeCatalog catalog;
    private final ServiceRoles serviceRoles;
    private final ResourceIndicators resources;

    public ClientCredentialsDefaultScopes(ScopeCatalog catalog, ServiceRoles serviceRoles, ResourceIndicators resources) {
        this.resources = resources;
        this.catalog = catalog;
        this.serviceRoles = serviceRoles;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = spring.convert(request);
        if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken token) || !token.getScopes().isEmpty()
                || !(token.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                || clientPrincipal.getRegisteredClient() == null) {
            return converted;
        }
        RegisteredClient client = clientPrincipal.getRegisteredClient();
        Set<String> defaults = catalog.allowedFor(client.getScopes(), serviceRoles.current(client).orElse(Set.of()));
        Set<String> target = ResourceIndicators.requested(token.getAdditionalParameters());
        if (!target.isEmpty()) {
            defaults = resources.scopesAt(target, defaults);
        }
        return new OAuth2ClientCredentialsAuthenticationToken(clientPrincipal, new LinkedHashSet<>(defaults),
                token.getAdditionalParameters());
    }
}
