package dev.ostiary.grant.devicecode;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Public clients of the device flow: the RFC's typical device (a television, a command line) holds no
 * secret, and names itself by {@code client_id} (RFC 8628 §3.1, §3.4; RFC 6749 §2.3). Spring
 * Authorization Server identifies public clients only for code exchanges with PKCE, so this adds the
 * device authorization request and the {@code device_code} token request, on those endpoints' own
 * matchers. It identifies; what the client may do is the providers' to decide ({@code unauthorized_client}
 * for a public client without the grant).
 */
final class DevicePublicClients {

    /** Marks the tokens this converter makes, so that its provider takes no one else's. */
    private static final String MARKER = DevicePublicClients.class.getName();

    private DevicePublicClients() {
    }

    /**
     * A request with one {@code client_id} and no other credential (no {@code Authorization} header,
     * secret or assertion: those are the other converters'), at the device authorization endpoint or
     * a {@code device_code} token request.
     */
    static AuthenticationConverter converter(RequestMatcher deviceAuthorization, RequestMatcher token) {
        return (HttpServletRequest request) -> {
            boolean deviceRequest = deviceAuthorization.matches(request) || (token.matches(request)
                    && AuthorizationGrantType.DEVICE_CODE.getValue().equals(
                            request.getParameter(OAuth2ParameterNames.GRANT_TYPE)));
            if (!deviceRequest || request.getHeader("Authorization") != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE) != null) {
                return null;
            }
            String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
            if (clientIds == null || clientIds.length != 1 || clientIds[0].isBlank()) {
                return null;
            }
            return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
                    Map.of(MARKER, true));
        };
    }

    /** The client named, if it is registered as public ({@code none}); {@code invalid_client} otherwise. */
    static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
                if (!ClientAuthenticationMethod.NONE.equals(request.getClientAuthenticationMethod())
                        || !Boolean.TRUE.equals(request.getAdditionalParameters().get(MARKER))) {
                    return null;
                }
                RegisteredClient client = clients.findByClientId((String) request.getPrincipal());
                if (client == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                    throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
                }
                return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }
}
