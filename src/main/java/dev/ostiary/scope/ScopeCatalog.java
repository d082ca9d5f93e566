package dev.ostiary.scope;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The scope catalog, held in memory: read on every token, changed rarely. Reloaded whole when the
 * table changes ({@code ostiary_scope} notifications).
 */
public class ScopeCatalog {

    private final ScopeRepository repository;
    private volatile Map<String, ScopeDefinition> scopes;

    public ScopeCatalog(ScopeRepository repository) {
        this.repository = repository;
    }

    public Optional<ScopeDefinition> find(String name) {
        return Optional.ofNullable(all().get(name));
    }

    public Map<String, ScopeDefinition> all() {
        Map<String, ScopeDefinition> current = scopes;
        if (current == null) {
            current = load();
        }
        return current;
    }

    /**
     * The scopes of {@code requested} that someone holding {@code roles} may have, in request
     * order. A scope missing from the catalog is granted to no one: deleting a scope (and with it
     * its role requirement) must not make it grantable to every client that still lists it
     * (review L8). Fail closed.
     */
    public Set<String> allowedFor(Collection<String> requested, Collection<String> roles) {
        Map<String, ScopeDefinition> catalog = all();
        return requested.stream()
                .filter(s -> {
                    ScopeDefinition definition = catalog.get(s);
                    return definition != null && definition.allowedFor(roles);
                })
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The audiences tokens carrying {@code granted} are meant for. */
    public Set<String> audiencesOf(Collection<String> granted) {
        Map<String, ScopeDefinition> catalog = all();
        return granted.stream()
                .map(catalog::get)
                .filter(d -> d != null && d.audience() != null)
                .map(ScopeDefinition::audience)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public void invalidate() {
        scopes = null;
    }

    private synchronized Map<String, ScopeDefinition> load() {
        Map<String, ScopeDefinition> loaded = repository.findAll().stream()
                .map(ScopeDefinition::of)
                .collect(Collectors.toUnmodifiableMap(ScopeDefinition::name, Function.identity()));
        scopes = loaded;
        return loaded;
    }
}
