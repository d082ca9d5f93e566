package dev.ostiary.grant.implicit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code response_type=token} requests at the authorization endpoint and returns null for
 * every other request, so Spring's converters handle those. It also checks what must be right
 * before anything can be sent back to a client: a known client and a redirect URI registered for it,
 * compared as exact strings (RFC 9700 §2.1). It runs before login too (Spring's pre-validation
 * calls the converters), so a bad request never gets as far as the login page.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1">RFC 6749 §4.2.1</a>
 */
public final class ImplicitAuthorizationRequestConverter implements AuthenticationConverter {

    static final String RESPONSE_TYPE_TOKEN = "token";
    private static final List<String> OWN_PARAMETERS = List.of(OAuth2ParameterNames.RESPONSE_TYPE,
            OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.REDIRECT_URI, OAuth2ParameterNames.SCOPE,
            OAuth2ParameterNames.STATE);
    private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("anonymous", "anonymousUser",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    private final RegisteredClientRepository clients;

    public ImplicitAuthorizationRequestConverter(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    /** Whether a request to the authorization endpoint asks for the implicit flow. */
    public static boolean isImplicitRequest(HttpServletRequest request) {
        String[] responseTypes = request.getParameterValues(OAuth2ParameterNames.RESPONSE_TYPE);
        return responseTypes != null && responseTypes.length == 1 && RESPONSE_TYPE_TOKEN.equals(responseTypes[0]);
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!isImplicitRequest(request)) {
            return null;
        }
        // client_id (REQUIRED)
        String clientId = single(request, OAuth2ParameterNames.CLIENT_ID, true, null);
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            throw new ImplicitAuthorizationException(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: client_id", null, null);
        }
        // redirect_uri (OPTIONAL when exactly one is registered)
        String redirectUri = single(request, OAuth2ParameterNames.REDIRECT_URI, false, null);
        if (redirectUri == null && client.getRedirectUris().size() == 1) {
            redirectUri = client.getRedirectUris().iterator().next();
        } else if (redirectUri == null || !client.getRedirectUris().contains(redirectUri)) {
            throw new ImplicitAuthorizationException(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: redirect_uri", null, null);
        }
        // state (RECOMMENDED)
        String state = single(request, OAuth2ParameterNames.STATE, false, null);
        // scope (OPTIONAL); from here on errors can go back to the client
        String scope = single(request, OAuth2ParameterNames.SCOPE, false, redirectUri);
        Set<String> scopes = scope == null || scope.isBlank() ? new LinkedHashSet<>()
                : new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));

        Map<String, Object> additionalParameters = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!OWN_PARAMETERS.contains(name)) {
                additionalParameters.put(name, values.length == 1 ? values[0] : values);
            }
        });
        Authentication principal = SecurityContextHolder.getContext().getAuthentication();
        return new ImplicitAuthorizationRequestToken(request.getRequestURL().toString(), clientId,
                principal == null ? ANONYMOUS : principal, redirectUri, state, scopes, additionalParameters);
    }

    private static String single(HttpServletRequest request, String name, boolean required, String redirectUri) {
        String[] values = request.getParameterValues(name);
        if ((values == null || values.length == 0 || values[0].isEmpty()) && !required) {
            return null;
        }
        if (values == null || values.length != 1 || values[0].isEmpty()) {
            throw new ImplicitAuthorizationException(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: " + name, redirectUri, redirectUri == null ? null
                            : request.getParameter(OAuth2ParameterNames.STATE));
        }
        return values[0];
    }
}
