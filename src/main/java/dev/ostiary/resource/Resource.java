package dev.ostiary.resource;

import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.ostiary.persistence.StoredEntity;

/** A protected resource in the catalog (RFC 8707): its identifier, a name for people, and the scopes meant for it. */
@Entity
@Table(name = "resource")
public class Resource extends StoredEntity<String> {

    @Id
    private String uri;

    private String name;

    private String[] scopes;

    protected Resource() {
    }

    public Resource(String uri, String name, Set<String> scopes) {
        this.uri = uri;
        this.name = name;
        setScopes(scopes);
    }

    public String getUri() { return uri; }
    public String getName() { return name; }
    public Set<String> getScopes() { return Set.of(scopes); }

    public Resource setName(String name) { this.name = name; return this; }
    public Resource setScopes(Set<String> scopes) { this.scopes = scopes.stream().sorted().toArray(String[]::new); return this; }

    @Override
    public String getId() {
        return uri;
    }
}
