package dev.ostiary.resource;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The resource catalog, held in memory like the scope catalog: read on every token that names a
 * resource, changed rarely, reloaded whole when the table changes ({@code ostiary_resource}
 * notifications).
 */
public class ResourceCatalog {

    private final ResourceRepository repository;
    private volatile Map<String, ResourceDefinition> resources;

    public ResourceCatalog(ResourceRepository repository) {
        this.repository = repository;
    }

    public Optional<ResourceDefinition> find(String uri) {
        return Optional.ofNullable(all().get(uri));
    }

    public Map<String, ResourceDefinition> all() {
        Map<String, ResourceDefinition> current = resources;
        if (current == null) {
            current = load();
        }
        return current;
    }

    /** Whether some resource of the catalog lists {@code scope}: then it is a scope meant for a resource. */
    public boolean scopeOfSomeResource(String scope) {
        return all().values().stream().anyMatch(r -> r.scopes().contains(scope));
    }

    public void invalidate() {
        resources = null;
    }

    private synchronized Map<String, ResourceDefinition> load() {
        Map<String, ResourceDefinition> loaded = repository.findAll().stream()
                .map(ResourceDefinition::of)
                .collect(Collectors.toUnmodifiableMap(ResourceDefinition::uri, Function.identity()));
        resources = loaded;
        return loaded;
    }
}
