package dev.ostiary.stepup;

import java.util.Collection;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * Which level a sign-in must reach for a client and the scopes it asks for: {@link SignInLevel#LOA_2}
 * when the client's setting "second factor required" is on, when any requested scope's catalog entry
 * requires a second factor, or for scope {@value #ADMIN_SCOPE} (by {@link StepUpProperties}); else
 * {@link SignInLevel#LOA_1}. Checked at the authorization endpoint (step-up before a code is issued)
 * and again when a user's token is made, so no grant (password, device, refresh of an older grant) gets
 * around it.
 */
public final class SecondFactorPolicy {

    /** Ostiary's own admin scope (config/AdminApiSecurity). */
    public static final String ADMIN_SCOPE = "ostiary:admin";

    private final ScopeCatalog scopes;
    private final boolean adminRequiresSecondFactor;

    public SecondFactorPolicy(ScopeCatalog scopes, StepUpProperties properties) {
        this.scopes = scopes;
        this.adminRequiresSecondFactor = properties.adminRequiresSecondFactor();
    }

    /** The rank (1 or 2, {@link SignInLevel#rank()}) a sign-in needs for {@code client} and {@code requested}. */
    public int requiredRank(RegisteredClient client, Collection<String> requested) {
        if (client != null && OstiaryClientSettings.requireSecondFactor(client)) {
            return 2;
        }
        for (String scope : requested) {
            if (adminRequiresSecondFactor && ADMIN_SCOPE.equals(scope)) {
                return 2;
            }
            if (scopes.find(scope).map(ScopeDefinition::requiresSecondFactor).orElse(false)) {
                return 2;
            }
        }
        return 1;
    }

    public boolean adminRequiresSecondFactor() {
        return adminRequiresSecondFactor;
    }
}
