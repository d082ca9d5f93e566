package dev.ostiary.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TestScopes;

/** Which scopes a holder of some roles may be granted, and whom the tokens are for. */
@Tag("unit")
class ScopeCatalogTest {

    private final ScopeCatalog catalog = TestScopes.catalog();

    @Test
    void whenScopesNeedNoRoleThenAllowedInRequestOrder() {
        assertThat(catalog.allowedFor(List.of("write", "read", "profile"), Set.of()))
                .containsExactly("write", "read", "profile");
    }

    @Test
    void whenScopeNeedsARoleTheHolderLacksThenLeftOut() {
        assertThat(catalog.allowedFor(List.of("read", "admin"), Set.of("USER"))).containsExactly("read");
    }

    @Test
    void whenHolderHasTheRoleThenScopeAllowed() {
        assertThat(catalog.allowedFor(List.of("admin", "read"), Set.of("USER", "ADMIN"))).containsExactly("admin", "read");
    }

    @Test
    void whenScopeIsNotInTheCatalogThenGrantedToNobody() {
        // a deleted scope loses its role requirement with it: fail closed (review L8)
        assertThat(catalog.allowedFor(List.of("deleted", "read"), Set.of("ADMIN"))).containsExactly("read");
    }

    @Test
    void whenScopesGrantedThenAudiencesAreTheirsOnceEachAndNoneForScopesWithout() {
        assertThat(catalog.audiencesOf(List.of("read", "write", "profile"))).containsExactly("demo-api");
        assertThat(catalog.audiencesOf(List.of("admin", "read"))).containsExactly("ostiary-admin", "demo-api");
        assertThat(catalog.audiencesOf(List.of("profile", "deleted"))).isEmpty();
    }

    @Test
    void whenInvalidatedThenReloadedFromTheRepositoryOnNextRead() {
        ScopeRepository repository = mock(ScopeRepository.class);
        when(repository.findAll()).thenReturn(List.of(new Scope("read", "Read", null, "demo-api", false)))
                .thenReturn(List.of(new Scope("read", "Read", "READER", "demo-api", false)));
        ScopeCatalog reloading = new ScopeCatalog(repository);
        assertThat(reloading.allowedFor(List.of("read"), Set.of())).containsExactly("read");
        assertThat(reloading.allowedFor(List.of("read"), Set.of())).containsExactly("read");
        verify(repository, times(1)).findAll();

        reloading.invalidate();
        assertThat(reloading.allowedFor(List.of("read"), Set.of())).isEmpty();
        assertThat(reloading.find("read")).hasValueSatisfying(d -> assertThat(d.requiredRole()).isEqualTo("READER"));
    }
}
