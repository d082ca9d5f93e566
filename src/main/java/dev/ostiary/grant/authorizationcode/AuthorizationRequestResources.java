package dev.ostiary.grant.authorizationcode;

import java.util.Set;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.resource.ResourceIndicators;

/**
 * The {@code resource} values of an authorization request (RFC 8707 §2.1), checked by the code
 * request's validator (direct and pushed) after the redirect URI: each an absolute URI without a
 * fragment, one the client may name, with the requested scopes allowed there. Refused as
 * {@code invalid_target} or {@code invalid_scope}, sent to the (by then verified) redirect URI. The
 * values stay in the authorization request that Spring keeps with the authorization, where the
 * token endpoint finds them ({@code token/ResourceAudience}).
 */
final class AuthorizationRequestResources implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> redirectAndScopes;
    private final ResourceIndicators resources;

    AuthorizationRequestResources(Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> redirectAndScopes,
            ResourceIndicators resources) {
        this.redirectAndScopes = redirectAndScopes;
        this.resources = resources;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        redirectAndScopes.accept(context);
        check(context.getAuthentication(), context.getRegisteredClient());
    }

    /**
     * The resources alone, for {@link UserScopedAuthorizationRequests}, which sees every request of a
     * signed-in user first (after the redirect URI check) and hands Spring's provider a request of its
     * own, which Spring does not always put through this validator again.
     */
    void check(OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
        try {
            Set<String> target = ResourceIndicators.requested(request.getAdditionalParameters());
            if (!target.isEmpty()) {
                resources.check(target, OstiaryClientSettings.resources(client), request.getScopes());
            }
        } catch (OAuth2AuthenticationException e) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(e.getError(), request);
        }
    }
}
