package dev.ostiary.config;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * Requests to the management server: the actuator endpoints on their own port
 * ({@code management.server.port}), which only the monitoring network should reach. The main port
 * serves no actuator endpoint at all, so metrics are never public there (review L10).
 */
final class ManagementServer {

    /** Spring Boot's server namespace of the management child context. */
    private static final String NAMESPACE = "management";

    private ManagementServer() {
    }

    static RequestMatcher requests() {
        return request -> WebServerApplicationContext.hasServerNamespace(
                WebApplicationContextUtils.getWebApplicationContext(request.getServletContext()), NAMESPACE);
    }
}
