package dev.ostiary.client;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * CORS for browser clients: the token and revocation endpoints and the JWKS answer cross-origin
 * requests from the origins of registered redirect URIs, and from nowhere else. The authorization
 * endpoint never does: it is navigated to, not fetched. The set is rebuilt when a client changes.
 */
public class RegisteredWebOrigins implements CorsConfigurationSource {

    private final ClientRepository clients;
    private final RequestMatcher corsEndpoints;
    private volatile Set<String> origins;

    /**
     * @param corsEndpoints the endpoints that answer cross-origin requests, as the endpoints' own
     *        matchers (decoded paths: {@code /oauth2/%74oken} is the token endpoint too)
     */
    public RegisteredWebOrigins(ClientRepository clients, RequestMatcher corsEndpoints) {
        this.clients = clients;
        this.corsEndpoints = corsEndpoints;
    }

    @Override
    public CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
        if (!corsEndpoints.matches(request)) {
            return null;
        }
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(List.copyOf(current()));
        configuration.setAllowedMethods(List.of("POST", "GET"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "DPoP"));
        configuration.setExposedHeaders(List.of("DPoP-Nonce", "WWW-Authenticate"));
        configuration.setMaxAge(600L);
        return configuration;
    }

    public void invalidate() {
        origins = null;
    }

    private Set<String> current() {
        Set<String> known = origins;
        if (known == null) {
            // only the redirect URIs of enabled clients, not every column of every client (M5)
            known = clients.enabledRedirectUris().stream()
                    .map(RegisteredWebOrigins::originOf)
                    .filter(o -> o != null)
                    .collect(Collectors.toUnmodifiableSet());
            origins = known;
        }
        return known;
    }

    private static String originOf(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null || parsed.getHost() == null
                    || !(parsed.getScheme().equals("https") || parsed.getScheme().equals("http"))) {
                return null;
            }
            return parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
