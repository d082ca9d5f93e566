package dev.ostiary.resource;

import static dev.ostiary.support.TestResources.API;
import static dev.ostiary.support.TestResources.PAYROLL;
import static dev.ostiary.support.TestResources.REPORTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

import dev.ostiary.support.TestResources;

/** RFC 8707's rules: what a resource value may be, which a client may name, narrowing, scopes there. */
@Tag("unit")
class ResourceIndicatorsTest {

    private static final Set<String> CLIENT_RESOURCES = Set.of(API, REPORTS);
    private final ResourceIndicators indicators = TestResources.indicators();

    @Test
    void requestedWhenNoResourceThenEmpty() {
        assertThat(ResourceIndicators.requested(Map.of())).isEmpty();
        assertThat(ResourceIndicators.requested(null)).isEmpty();
    }

    @Test
    void requestedWhenOneValueThenThatResource() {
        assertThat(ResourceIndicators.requested(Map.of("resource", API))).containsExactly(API);
    }

    @Test
    void requestedWhenRepeatedThenEachInOrderOnce() {
        // Spring's converters keep a repeated parameter as a String[]
        assertThat(ResourceIndicators.requested(Map.of("resource", new String[] { REPORTS, API, REPORTS })))
                .containsExactly(REPORTS, API);
    }

    @Test
    void requestedWhenFragmentThenInvalidTarget() {
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", API + "/#section")));
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", API + "#")));
    }

    @Test
    void requestedWhenRelativeOrEmptyOrNotAUriThenInvalidTarget() {
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", "/api")));
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", "api.example")));
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", "")));
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", "https://api example")));
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", new String[] { API, "relative" })));
    }

    @Test
    void requestedWhenTooManyThenInvalidTarget() {
        String[] many = new String[ResourceIndicators.MAX_RESOURCES + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "https://r" + i + ".example";
        }
        assertInvalidTarget(() -> ResourceIndicators.requested(Map.of("resource", many)));
    }

    @Test
    void wellFormedWhenUrnThenAbsoluteUri() {
        assertThat(ResourceIndicators.wellFormed("urn:ostiary:admin-api")).isTrue();
        assertThat(ResourceIndicators.wellFormed("https://api.example/v1?tenant=a")).isTrue();
    }

    @Test
    void targetWhenNeitherRequestNorGrantNamesOneThenEmptyForTheScopeAudiences() {
        assertThat(indicators.target(Set.of(), Set.of(), CLIENT_RESOURCES, Set.of("read"))).isEmpty();
    }

    @Test
    void targetWhenRequestedAndAllowedThenRequested() {
        assertThat(indicators.target(Set.of(API), Set.of(), CLIENT_RESOURCES, Set.of("read", "write")))
                .containsExactly(API);
    }

    @Test
    void targetWhenNotAmongTheClientsResourcesThenInvalidTarget() {
        assertInvalidTarget(() -> indicators.target(Set.of(PAYROLL), Set.of(), CLIENT_RESOURCES, Set.of("read")));
    }

    @Test
    void targetWhenClientListsOneMissingFromTheCatalogThenInvalidTarget() {
        assertInvalidTarget(() -> indicators.target(Set.of("https://gone.example"), Set.of(),
                Set.of("https://gone.example"), Set.of()));
    }

    @Test
    void targetWhenNarrowingTheGrantThenTheNarrowerResource() {
        assertThat(indicators.target(Set.of(REPORTS), Set.of(API, REPORTS), CLIENT_RESOURCES, Set.of("read")))
                .containsExactly(REPORTS);
    }

    @Test
    void targetWhenNoneRequestedOnAGrantThenTheGrantsResources() {
        assertThat(indicators.target(Set.of(), Set.of(API, REPORTS), CLIENT_RESOURCES, Set.of("read")))
                .containsExactlyInAnyOrder(API, REPORTS);
    }

    @Test
    void targetWhenWideningTheGrantThenInvalidTarget() {
        assertInvalidTarget(() -> indicators.target(Set.of(API, REPORTS), Set.of(REPORTS), CLIENT_RESOURCES,
                Set.of("read")));
    }

    @Test
    void targetWhenTheClientLostAResourceOfItsGrantThenInvalidTarget() {
        assertInvalidTarget(() -> indicators.target(Set.of(), Set.of(API, REPORTS), Set.of(API), Set.of("read")));
    }

    @Test
    void targetWhenAScopeIsNotAllowedAtTheResourceThenInvalidScope() {
        assertThatThrownBy(() -> indicators.target(Set.of(REPORTS), Set.of(), CLIENT_RESOURCES, Set.of("write")))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_scope"));
    }

    @Test
    void targetWhenSeveralResourcesThenEachScopeAllowedAtOneOfThem() {
        assertThat(indicators.target(Set.of(REPORTS, API), Set.of(), CLIENT_RESOURCES, Set.of("read", "write")))
                .containsExactlyInAnyOrder(REPORTS, API);
    }

    @Test
    void targetWhenOpenIdThenAllowedAnywhere() {
        // openid has no audience and no resource lists it: it is about the ID token, not a resource
        assertThat(indicators.target(Set.of(REPORTS), Set.of(), CLIENT_RESOURCES, Set.of("openid", "read")))
                .containsExactly(REPORTS);
    }

    @Test
    void targetWhenScopeIsMissingFromBothCatalogsThenInvalidScope() {
        assertThatThrownBy(() -> indicators.target(Set.of(API), Set.of(), CLIENT_RESOURCES, Set.of("unknown")))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_scope"));
    }

    @Test
    void scopesAtWhenDefaultsThenThoseAllowedAtTheResources() {
        assertThat(indicators.scopesAt(Set.of(REPORTS), List.of("openid", "read", "write")))
                .containsExactly("openid", "read");
    }

    @Test
    void grantedWhenFormattedThenParsedBack() {
        String stored = ResourceIndicators.formatGranted(new java.util.LinkedHashSet<>(List.of(API, REPORTS)));
        assertThat(ResourceIndicators.parseGranted(stored)).containsExactly(API, REPORTS);
        assertThat(ResourceIndicators.parseGranted(null)).isEmpty();
    }

    private static void assertInvalidTarget(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_target"));
    }
}
