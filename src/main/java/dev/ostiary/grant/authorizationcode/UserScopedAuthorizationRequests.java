package dev.ostiary.grant.authorizationcode;

import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;

/**
 * Puts the authorization code request through Spring's provider with the scopes reduced to what the
 * signed-in user's roles allow, so neither the consent page nor the code ever carries more. A
 * request that leaves nothing gets {@code invalid_scope} (sent to the client only after its
 * redirect URI has been checked).
 */
public final class UserScopedAuthorizationRequests implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final RegisteredClientRepository clients;
    private final ResourceOwnerScopes scopes;
    private final AuthorizationRequestResources resources;

    UserScopedAuthorizationRequests(AuthenticationProvider delegate, RegisteredClientRepository clients,
            ResourceOwnerScopes scopes, AuthorizationRequestResources resources) {
        this.delegate = delegate;
        this.clients = clients;
        this.scopes = scopes;
        this.resources = resources;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof OAuth2AuthorizationCodeRequestAuthenticationToken request)) {
            return null;
        }
        Authentication user = (Authentication) request.getPrincipal();
        RegisteredClient client = clients.findByClientId(request.getClientId());
        if (client == null || user == null || !user.isAuthenticated()
                || request.getAdditionalParameters().get(OAuth2ParameterNames.REQUEST_URI) != null) {
            return delegate.authenticate(request);
        }
        // the redirect URI must be known good before an error may be sent to it
        dev.ostiary.client.RedirectUriMatching.checkRedirectUri(
                OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client).build());
        // RFC 8707 §2: the resources, before the consent page could offer them
        resources.check(request, client);

        Set<String> requested = scopes.requestedOrDefault(request.getScopes(), client);
        Set<String> allowed = scopes.allowedFor(requested, user);
        if (allowed.isEmpty() && !requested.isEmpty()) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.INVALID_SCOPE, "The user's roles allow none of the requested scopes", null),
                    request);
        }
        // always a request of our own, never the one Spring's validating filter (SAS 7.1) already marked
        // validated with Spring's default validators only: the provider then runs all of ours on it once,
        // the sign-in check (stepup/StepUpValidator: acr_values, max_age, prompt, policy) included
        OAuth2AuthorizationCodeRequestAuthenticationToken reduced = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), user, request.getRedirectUri(),
                request.getState(), allowed, request.getAdditionalParameters());
        reduced.setDetails(request.getDetails());
        return delegate.authenticate(reduced);
    }
}
