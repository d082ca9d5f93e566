package dev.ostiary.sample.resourceserver;

import java.util.List;

import org.springframework.http.HttpMethod;

/** Who may call what: the one place the sample API's scope and role checks are declared. */
final class ApiAccess {

    static final List<AccessRule> RULES = List.of(
            new AccessRule(HttpMethod.GET, "/api/patients", "read", "USER"),
            new AccessRule(HttpMethod.POST, "/api/patients", "write", "USER"),
            new AccessRule(HttpMethod.DELETE, "/api/patients/{id}", "admin", "ADMIN"),
            // service clients whose tokens carry role USER qualify too
            new AccessRule(HttpMethod.GET, "/api/doctors/{id}", "read", "USER"));

    /** The scopes the rules name, in order: the metadata's {@code scopes_supported}. */
    static List<String> scopes() {
        return RULES.stream().map(AccessRule::scope).distinct().toList();
    }

    private ApiAccess() {
    }
}
