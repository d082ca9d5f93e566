package dev.ostiary.support;

import java.util.Map;
import java.util.Set;

import dev.ostiary.resource.ResourceCatalog;
import dev.ostiary.resource.ResourceDefinition;
import dev.ostiary.resource.ResourceIndicators;

/** A resource catalog for unit tests (no database), over {@link GrantFixtures#scopes()}. */
public final class TestResources {

    /** Scopes {@code read} and {@code write}. */
    public static final String API = "https://api.example";
    /** Scope {@code read} only. */
    public static final String REPORTS = "https://reports.example/v1";
    /** In the catalog, but given to no test client. */
    public static final String PAYROLL = "https://payroll.example";

    private static final Map<String, ResourceDefinition> RESOURCES = Map.of(
            API, new ResourceDefinition(API, "Records API", Set.of("read", "write")),
            REPORTS, new ResourceDefinition(REPORTS, "Reports", Set.of("read")),
            PAYROLL, new ResourceDefinition(PAYROLL, "Payroll", Set.of("read")));

    private TestResources() {
    }

    public static ResourceCatalog catalog() {
        return new ResourceCatalog(null) {
            @Override
            public Map<String, ResourceDefinition> all() {
                return RESOURCES;
            }
        };
    }

    public static ResourceIndicators indicators() {
        return new ResourceIndicators(catalog(), GrantFixtures.scopes());
    }
}
