package dev.ostiary.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A client as the APIs show it: everything but its secret. */
public record ClientView(
        String clientId,
        String clientName,
        String description,
        List<String> grantTypes,
        List<String> authMethods,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> scopes,
        List<String> serviceRoles,
        int accessTokenTtlSeconds,
        int refreshTokenTtlSeconds,
        int authCodeTtlSeconds,
        int implicitTokenTtlSeconds,
        String accessTokenSigningAlg,
        boolean requireConsent,
        boolean requirePkce,
        boolean introspectionAllowed,
        boolean requireDpop,
        boolean enabled,
        boolean hasSecret,
        Map<String, Object> jwks,
        String jwksUri,
        String owner,
        Instant createdAt,
        Instant updatedAt,
        RegisteredBy registeredBy,
        String backchannelLogoutUri,
        boolean backchannelLogoutSessionRequired,
        TokenExchangePolicy tokenExchange,
        boolean requirePushedAuthorizationRequests,
        boolean requireSignedRequestObject,
        boolean fapi2,
        List<String> resources,
        boolean requireSecondFactor) {

    /** A client nobody has registered yet, every setting at its default: where the console's form starts. */
    public static ClientView defaults() {
        return of(new Client("", ""));
    }

    static ClientView of(Client client) {
        Map<String, Object> jwks = null;
        if (client.getJwks() != null) {
            try {
                jwks = com.nimbusds.jose.util.JSONObjectUtils.parse(client.getJwks());
            } catch (java.text.ParseException e) {
                jwks = null;
            }
        }
        return new ClientView(client.getClientId(), client.getClientName(), client.getDescription(),
                client.getGrantTypes(), client.getAuthMethods(), client.getRedirectUris(),
                client.getPostLogoutRedirectUris(), client.getScopes(), client.getServiceRoles(),
                client.getAccessTokenTtlSeconds(), client.getRefreshTokenTtlSeconds(), client.getAuthCodeTtlSeconds(),
                client.getImplicitTokenTtlSeconds(), client.getAccessTokenSigningAlg(), client.isRequireConsent(),
                client.isRequirePkce(), client.isIntrospectionAllowed(), client.isRequireDpop(), client.isEnabled(),
                client.getSecretHash() != null, jwks, client.getJwksUri(), client.getOwnerUsername(),
                client.getCreatedAt(), client.getUpdatedAt(), client.getRegisteredBy(),
                client.getBackchannelLogoutUri(), client.isBackchannelLogoutSessionRequired(), client.getTokenExchange(),
                client.isRequirePushedAuthorizationRequests(), client.isRequireSignedRequestObject(), client.isFapi2(),
                client.getResources(), client.isRequireSecondFactor());
    }
}
