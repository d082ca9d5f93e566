package dev.ostiary.grant.clientcredentials;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;

/**
 * The validator of Spring's client credentials provider: Spring's own (a scope the client is not
 * registered for is {@code invalid_scope}), then the role each requested scope needs, against the
 * roles the client holds now ({@link ServiceRoles}): one it does not hold is {@code invalid_scope}, and
 * a self-service client whose owner is gone, locked or disabled gets {@code unauthorized_client}; and the
 * {@code resource} values (RFC 8707 §2): each one the client may name, the scopes allowed there
 * ({@code invalid_target}, {@code invalid_scope}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
public final class ClientCredentialsRoleScopes implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

    private final OAuth2ClientCredentialsAuthenticationValidator registered = new OAuth2ClientCredentialsAuthenticationValidator();
    private final ScopeCatalog catalog;
    private final ServiceRoles serviceRoles;
    private final ResourceIndicators resources;

    public ClientCredentialsRoleScopes(ScopeCatalog catalog, ServiceRoles serviceRoles, ResourceIndicators resources) {
        this.resources = resources;
        this.catalog = catalog;
        this.serviceRoles = serviceRoles;
    }

    @Override
    public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
        registered.accept(context);
        RegisteredClient client = context.getRegisteredClient();
        OAuth2ClientCredentialsAuthenticationToken request = (OAuth2ClientCredentialsAuthenticationToken) context.getAuthentication();
        Set<String> requested = request.getScopes();
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
        Set<String> target = ResourceIndicators.requested(request.getAdditionalParameters());
        if (!target.isEmpty()) {
            resources.check(target, OstiaryClientSettings.resources(client), requested);
        }
    }
}
