package dev.ostiary.grant;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The self-service page's grant policy, answered by the registrations: which grants a user may
 * choose (legacy ones only with an administrator's permission) and which come along with a choice
 * (a code-flow client gets refresh tokens).
 */
public final class SelfServiceGrants {

    private final List<GrantRegistration> grants;

    SelfServiceGrants(List<GrantRegistration> grants) {
        this.grants = grants;
    }

    /** The grants offered, in order: the ordinary ones, then the legacy ones if the user may have them. */
    public List<String> offered(boolean legacyAllowed) {
        List<String> offered = new java.util.ArrayList<>(names(SelfServiceOffer.ORDINARY));
        if (legacyAllowed) {
            offered.addAll(names(SelfServiceOffer.LEGACY));
        }
        return offered;
    }

    /** The chosen grants the user may not have (each needs an administrator's permission), in the order chosen. */
    public List<String> notAllowed(Collection<String> chosen, boolean legacyAllowed) {
        List<String> offered = offered(legacyAllowed);
        return chosen.stream().filter(grant -> !offered.contains(grant)).toList();
    }

    /** The chosen grants with those that come along with them. */
    public Set<String> withCompanions(Collection<String> chosen) {
        Set<String> grantTypes = new LinkedHashSet<>(chosen);
        for (GrantRegistration grant : grants) {
            if (chosen.contains(grant.name())) {
                grant.selfServiceCompanions().forEach(companion -> grantTypes.add(companion.getValue()));
            }
        }
        return grantTypes;
    }

    private List<String> names(SelfServiceOffer offer) {
        return grants.stream().filter(g -> g.selfService() == offer).map(GrantRegistration::name).toList();
    }
}
