package dev.ostiary.sample.resourceserver;

import java.util.List;

import org.springframework.http.HttpMethod;

/** Who may call what: the one place the sample API's scope and role checks are declared. */
final class ApiAccess {

    /** The authorization server's level for a sign-in with two factors (its {@code acr_values_supported}). */
    static final String SECOND_FACTOR = "urn:ostiary:loa:2";

    static final List<AccessRule> RULES = List.of(
            new AccessRule(HttpMethod.GET, "/api/patients", "read", "USER"),
            new AccessRule(HttpMethod.POST, "/api/patients", "write", "USER"),
            // deleting a record needs a sign-in with a second factor (Ostiary's urn:ostiary:loa:2, RFC 9470)
            new AccessRule(HttpMethod.DELETE, "/api/patients/{id}", "admin", "ADMIN", ApiAccess.SECOND_FACTOR),
            // service clients whose tokens carry role USER qualify too
            new AccessRule(HttpMethod.GET, "/api/doctors/{id}", "read", "USER"));

    /** The scopes the rules name, in order: the metadata's {@code scopes_supported}. */
    static List<String> scopes() {
        return RULES.stream().map(AccessRule::scope).distinct().toList();
    }

    private ApiAccess() {
    }
}
