package dev.ostiary.support;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;

import dev.ostiary.scope.Scope;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeRepository;

/** A scope catalog for unit tests, without a database: what the demo data holds, in short. */
public final class TestScopes {

    private TestScopes() {
    }

    /** read and write for the demo API, profile for nobody in particular, admin for ADMIN holders. */
    public static ScopeCatalog catalog() {
        return catalog(new Scope("read", "Read", null, "demo-api", false),
                new Scope("write", "Write", null, "demo-api", false),
                new Scope("profile", "Profile", null, null, false),
                new Scope("admin", "Administer", "ADMIN", "ostiary-admin", false));
    }

    public static ScopeCatalog catalog(Scope... scopes) {
        ScopeRepository repository = mock(ScopeRepository.class);
        when(repository.findAll()).thenReturn(List.of(scopes));
        return new ScopeCatalog(repository);
    }
}
