package dev.ostiary.grant.password;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * Reads a resource owner password credentials request from the token endpoint. Returns null for
 * any other grant so the next converter can try. The credentials must come in the form body: a
 * password in a URL ends up in logs.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3.2">RFC 6749 §4.3.2</a>
 */
public final class PasswordGrantAuthenticationConverter implements AuthenticationConverter {

    // Spring Security 7 dropped these names with the grant
    private static final String USERNAME = "username";
    private static final String PASSWORD = "password";
    /** The current code of the user's authenticator app, under Keycloak's name for it. */
    static final String TOTP = "totp";
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-4.3.2";
    private static final List<String> GRANT_PARAMETERS = List.of(OAuth2ParameterNames.GRANT_TYPE,
            USERNAME, PASSWORD, TOTP, OAuth2ParameterNames.SCOPE,
            OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_SECRET);

    /** The names under which the proof from the header is handed to the provider (as Spring's own grants do). */
    private static final Set<String> DPOP_PARAMETERS = Set.of("dpop_proof", "dpop_method", "dpop_target_uri");

    @Override
    public Authentication convert(HttpServletRequest request) {
        // grant_type (REQUIRED)
        if (!OstiaryGrantTypes.PASSWORD.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        if (inQueryString(request, USERNAME) || inQueryString(request, PASSWORD) || inQueryString(request, TOTP)) {
            throw invalidRequest("Resource owner credentials must be sent in the request body");
        }
        // username (REQUIRED)
        String username = single(request, USERNAME, true);
        // password (REQUIRED)
        String password = single(request, PASSWORD, true);
        // totp (OPTIONAL here; required by the provider for a user with an authenticator app)
        String totp = single(request, TOTP, false);
        // scope (OPTIONAL)
        String scope = single(request, OAuth2ParameterNames.SCOPE, false);
        Set<String> scopes = scope == null || scope.isBlank() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));

        Map<String, Object> additionalParameters = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            // a DPoP proof comes from the DPoP header only (RFC 9449 §4.1), never from the body
            if (!GRANT_PARAMETERS.contains(name) && !DPOP_PARAMETERS.contains(name)) {
                additionalParameters.put(name, values.length == 1 ? values[0] : values);
            }
        });
        if (totp != null) {
            additionalParameters.put(TOTP, totp);
        }
        // DPoP (RFC 9449): the proof travels to the provider as Spring's own grants pass it
        java.util.List<String> proofs = java.util.Collections.list(request.getHeaders("DPoP"));
        if (proofs.size() > 1) {
            throw invalidRequest("OAuth 2.0 Parameter: DPoP (repeated)");
        }
        if (proofs.size() == 1) {
            additionalParameters.put("dpop_proof", proofs.get(0));
            additionalParameters.put("dpop_method", request.getMethod());
            additionalParameters.put("dpop_target_uri", request.getRequestURL().toString());
        }
        Authentication clientPrincipal = SecurityContextHolder.getContext().getAuthentication();
        return new PasswordGrantAuthenticationToken(username, password, clientPrincipal, scopes,
                additionalParameters);
    }

    /**
     * Whether the query string names {@code name}, compared after percent-decoding as the container
     * decodes it: {@code ?pass%77ord=} is a password in the URL too (review I7).
     */
    private static boolean inQueryString(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            try {
                if (name.equals(URLDecoder.decode(rawName, StandardCharsets.UTF_8))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                throw invalidRequest("Malformed query string");
            }
        }
        return false;
    }

    private static String single(HttpServletRequest request, String name, boolean required) {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
            if (required) {
                throw invalidRequest("OAuth 2.0 Parameter: " + name);
            }
            return null;
        }
        if (values.length > 1) {
            throw invalidRequest("OAuth 2.0 Parameter: " + name + " (repeated)");
        }
        return values[0];
    }

    private static OAuth2AuthenticationException invalidRequest(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description,
                ERROR_URI));
    }
}
