package dev.ostiary.sample.resourceserver;

import org.springframework.http.HttpMethod;

/**
 * One line of the API's access table: a request (method and path pattern) needs both a scope in the
 * token's {@code scope} and a role in its {@code roles}, and, if {@code acr} is set, a sign-in of that
 * level in the token's {@code acr} (RFC 9470: else 401 {@code insufficient_user_authentication}).
 */
record AccessRule(HttpMethod method, String path, String scope, String role, String acr) {

    AccessRule(HttpMethod method, String path, String scope, String role) {
        this(method, path, scope, role, null);
    }
}
