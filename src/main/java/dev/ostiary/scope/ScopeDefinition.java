package dev.ostiary.scope;

/**
 * An immutable view of one catalog entry.
 *
 * @param requiredRole role a user or service client needs to be granted the scope, or null
 * @param audience resource server that tokens carrying the scope are meant for, or null
 * @param mandatory cannot be unticked on the consent page
 * @param requiresSecondFactor granted only to a sign-in with a second factor (acr {@code urn:ostiary:loa:2}, V22)
 */
public record ScopeDefinition(String name, String description, String requiredRole, String audience,
        boolean mandatory, boolean requiresSecondFactor) {

    /** A scope that any sign-in may be granted. */
    public ScopeDefinition(String name, String description, String requiredRole, String audience, boolean mandatory) {
        this(name, description, requiredRole, audience, mandatory, false);
    }

    static ScopeDefinition of(Scope scope) {
        return new ScopeDefinition(scope.getName(), scope.getDescription(), scope.getRequiredRole(),
                scope.getAudience(), scope.isMandatory(), scope.isRequiresSecondFactor());
    }

    /** Whether someone holding {@code roles} may be granted this scope. */
    public boolean allowedFor(java.util.Collection<String> roles) {
        return requiredRole == null || roles.contains(requiredRole);
    }
}
