package dev.ostiary.grant.resourceowner;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.scope.ScopeCatalog;

/**
 * The scopes a user may grant a client: what was requested (or, when nothing was, every scope the
 * client is registered for except {@code openid}, which must be asked for), reduced to what the
 * user's roles allow. Shared by the authorization code, implicit and password grants.
 */
public final class ResourceOwnerScopes {

    private final ScopeCatalog catalog;

    public ResourceOwnerScopes(ScopeCatalog catalog) {
        this.catalog = catalog;
    }

    public Set<String> requestedOrDefault(Set<String> requested, RegisteredClient client) {
        if (requested != null && !requested.isEmpty()) {
            return requested;
        }
        Set<String> defaults = new LinkedHashSet<>(client.getScopes());
        defaults.remove(OidcScopes.OPENID);
        return defaults;
    }

    public Set<String> allowedFor(Set<String> requested, Authentication user) {
        return catalog.allowedFor(requested, AuthorityNames.roles(user.getAuthorities()));
    }
}
