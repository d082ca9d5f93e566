package dev.ostiary.grant.implicit;

import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.resource.ResourceIndicators;

/**
 * The implicit grant at the authorization endpoint: a legacy flow (RFC 9700 §2.1.2 says SHOULD NOT),
 * so only clients that list {@code implicit} may use it, with the redirect URI matched exactly and
 * a short-lived token. After login it asks for consent on the same page as the code flow, then puts
 * an access token in the redirect URI's fragment.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.2">RFC 6749 §4.2</a>
 */
public final class ImplicitAuthorizationProvider implements AuthenticationProvider {

    private static final StringKeyGenerator STATE = new Base64StringKeyGenerator(Base64.getUrlEncoder(), 32);

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2AuthorizationConsentService consents;
    private final ResourceOwnerScopes scopes;
    private final ImplicitTokenIssuer tokens;

    public ImplicitAuthorizationProvider(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
            OAuth2AuthorizationConsentService consents, ResourceOwnerScopes scopes,
            OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.consents = consents;
        this.scopes = scopes;
        this.tokens = new ImplicitTokenIssuer(tokenGenerator);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ImplicitAuthorizationRequestToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        ImplicitAuthorizationRequestToken request = (ImplicitAuthorizationRequestToken) authentication;
        RegisteredClient client = clients.findByClientId(request.getClientId());
        if (client == null || !client.getRedirectUris().contains(request.getRedirectUri())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: client_id", null);
        }
        if (!client.getAuthorizationGrantTypes().contains(OstiaryGrantTypes.IMPLICIT)) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed the implicit grant", request);
        }
        if (!client.getScopes().containsAll(request.getScopes())) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "OAuth 2.0 Parameter: scope", request);
        }
        if (request.getAdditionalParameters().containsKey(OAuth2ParameterNames.RESOURCE)) {
            // refused rather than ignored: a token for the scopes' audiences is not the one asked for (RFC 8707 §2)
            throw error(ResourceIndicators.INVALID_TARGET, "The implicit grant takes no resource; use the code flow",
                    request);
        }
        Authentication user = (Authentication) request.getPrincipal();
        if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "The user is not signed in", request);
        }
        Set<String> requested = scopes.requestedOrDefault(request.getScopes(), client);
        Set<String> granted = scopes.allowedFor(requested, user);
        if (granted.isEmpty()) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The user's roles allow none of the requested scopes", request);
        }

        OAuth2AuthorizationConsent consent = consents.findById(client.getId(), user.getName());
        boolean consented = consent != null && consent.getScopes().containsAll(granted);
        if (client.getClientSettings().isRequireAuthorizationConsent() && !consented) {
            String state = STATE.generateKey();
            OAuth2AuthorizationRequest remembered = OAuth2AuthorizationRequest.authorizationCode()
                    .authorizationUri(request.getAuthorizationUri())
                    .clientId(client.getClientId())
                    .redirectUri(request.getRedirectUri())
                    .scopes(granted)
                    .state(request.getState())
                    .additionalParameters(Map.of(OAuth2ParameterNames.RESPONSE_TYPE, "token"))
                    .build();
            authorizations.save(OAuth2Authorization.withRegisteredClient(client)
                    .principalName(user.getName())
                    .authorizationGrantType(OstiaryGrantTypes.IMPLICIT)
                    .attribute(Principal.class.getName(), user)
                    .attribute(OAuth2AuthorizationRequest.class.getName(), remembered)
                    .attribute(OAuth2ParameterNames.STATE, state)
                    .build());
            return new ImplicitConsentRequiredToken(client.getClientId(), state, granted);
        }
        return new ImplicitAccessTokenAuthenticationToken(user, client.getClientId(), tokens.issue(client, user, granted),
                request.getRedirectUri(), request.getState());
    }

    static ImplicitAuthorizationException error(String code, String description,
            ImplicitAuthorizationRequestToken request) {
        return new ImplicitAuthorizationException(code, description, request == null ? null : request.getRedirectUri(),
                request == null ? null : request.getState());
    }
}
