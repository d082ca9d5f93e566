package dev.ostiary.resource;

import java.util.Set;

/**
 * An immutable view of one catalog entry.
 *
 * @param uri the resource's identifier (RFC 8707 §2): the value of {@code resource} and of the token's {@code aud}
 * @param name what people call it
 * @param scopes the scopes a token for this resource may carry
 */
public record ResourceDefinition(String uri, String name, Set<String> scopes) {

    public ResourceDefinition {
        scopes = Set.copyOf(scopes);
    }

    static ResourceDefinition of(Resource resource) {
        return new ResourceDefinition(resource.getUri(), resource.getName(), resource.getScopes());
    }
}
