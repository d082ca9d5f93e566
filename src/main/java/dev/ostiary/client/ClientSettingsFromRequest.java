package dev.ostiary.client;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * What an admin API, self-service or registration request sets on the stored client, field by field
 * with each field's default, after {@link ClientRules} accepted it. Apart from {@link ClientManagement}
 * (which decides who may change what, secrets and audit) because every protocol adds its settings here.
 */
final class ClientSettingsFromRequest {

    private ClientSettingsFromRequest() {
    }

    static void apply(ClientRequest request, Client client) {
        client.setDescription(request.description());
        client.setGrantTypes(new LinkedHashSet<>(request.grantTypesOrEmpty()));
        client.setAuthMethods(new LinkedHashSet<>(request.authMethodsOrDefault()));
        client.setRedirectUris(request.redirectUrisOrEmpty());
        client.setPostLogoutRedirectUris(request.postLogoutRedirectUris() == null ? List.of()
                : request.postLogoutRedirectUris());
        client.setScopes(new LinkedHashSet<>(request.scopesOrEmpty()));
        client.setServiceRoles(request.serviceRoles() == null ? Set.of() : new LinkedHashSet<>(request.serviceRoles()));
        if (request.accessTokenTtlSeconds() != null) {
            client.setAccessTokenTtlSeconds(request.accessTokenTtlSeconds());
        }
        if (request.refreshTokenTtlSeconds() != null) {
            client.setRefreshTokenTtlSeconds(request.refreshTokenTtlSeconds());
        }
        if (request.authCodeTtlSeconds() != null) {
            client.setAuthCodeTtlSeconds(request.authCodeTtlSeconds());
        }
        if (request.implicitTokenTtlSeconds() != null) {
            client.setImplicitTokenTtlSeconds(request.implicitTokenTtlSeconds());
        }
        if (request.accessTokenSigningAlg() != null) {
            client.setAccessTokenSigningAlg(request.accessTokenSigningAlg());
        }
        client.setRequireConsent(request.requireConsent() == null || request.requireConsent());
        client.setRequirePkce(request.requirePkce() == null || request.requirePkce());
        client.setIntrospectionAllowed(Boolean.TRUE.equals(request.introspectionAllowed()));
        client.setRequireDpop(Boolean.TRUE.equals(request.requireDpop()));
        client.setJwks(request.jwks() == null || request.jwks().isEmpty() ? null
                : JSONObjectUtils.toJSONString(request.jwks()));
        client.setJwksUri(request.jwksUri() == null || request.jwksUri().isBlank() ? null : request.jwksUri().trim());
        client.setBackchannelLogoutUri(request.backchannelLogoutUriOrNull());
        client.setBackchannelLogoutSessionRequired(Boolean.TRUE.equals(request.backchannelLogoutSessionRequired()));
        client.setTokenExchange(request.tokenExchange());
        client.setRequirePushedAuthorizationRequests(Boolean.TRUE.equals(request.requirePushedAuthorizationRequests()));
        client.setRequireSignedRequestObject(Boolean.TRUE.equals(request.requireSignedRequestObject()));
        client.setFapi2(Boolean.TRUE.equals(request.fapi2()));
        Optional.ofNullable(request.resources()).ifPresent(r -> client.setResources(new LinkedHashSet<>(r)));
        Optional.ofNullable(request.requireSecondFactor()).ifPresent(client::setRequireSecondFactor);
    }
}
