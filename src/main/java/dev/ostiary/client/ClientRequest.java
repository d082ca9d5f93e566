package dev.ostiary.client;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client as an administrator, a self-service user or a dynamic registration describes it. Null
 * fields take the defaults; {@link ClientRules} checks the whole before anything is stored.
 *
 * @param authMethods how the client authenticates: {@code client_secret_basic},
 *        {@code client_secret_post}, {@code client_secret_jwt}, {@code private_key_jwt}, or
 *        {@code none} (a public client)
 * @param jwks the client's public keys (a JWKS document) for private_key_jwt
 * @param jwksUri where to fetch them instead
 */
public record ClientRequest(
        String clientId,
        String clientName,
        String description,
        Set<String> grantTypes,
        Set<String> authMethods,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        Set<String> scopes,
        Set<String> serviceRoles,
        Integer accessTokenTtlSeconds,
        Integer refreshTokenTtlSeconds,
        Integer authCodeTtlSeconds,
        Integer implicitTokenTtlSeconds,
        String accessTokenSigningAlg,
        Boolean requireConsent,
        Boolean requirePkce,
        Boolean introspectionAllowed,
        Boolean requireDpop,
        Map<String, Object> jwks,
        String jwksUri) {

    public Set<String> grantTypesOrEmpty() {
        return grantTypes == null ? Set.of() : grantTypes;
    }

    public Set<String> authMethodsOrDefault() {
        return authMethods == null || authMethods.isEmpty() ? Set.of("client_secret_basic", "client_secret_post")
                : authMethods;
    }

    public List<String> redirectUrisOrEmpty() {
        return redirectUris == null ? List.of() : redirectUris;
    }

    public Set<String> scopesOrEmpty() {
        return scopes == null ? Set.of() : scopes;
    }
}
