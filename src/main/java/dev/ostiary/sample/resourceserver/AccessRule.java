package dev.ostiary.sample.resourceserver;

import org.springframework.http.HttpMethod;

/**
 * One line of the API's access table: a request (method and path pattern) needs both a scope in the
 * token's {@code scope} and a role in its {@code roles}.
 */
record AccessRule(HttpMethod method, String path, String scope, String role) {
}
