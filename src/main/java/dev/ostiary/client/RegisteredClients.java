package dev.ostiary.client;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.ostiary.keys.SigningAlgorithm;

/** Maps our {@link Client} rows to Spring Authorization Server's {@link RegisteredClient}. */
final class RegisteredClients {

    private RegisteredClients() {
    }

    static RegisteredClient from(Client client) {
        SigningAlgorithm algorithm = SigningAlgorithm.valueOf(client.getAccessTokenSigningAlg());
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(client.isRequirePkce() || isPublic(client))
                .requireAuthorizationConsent(client.isRequireConsent())
                .setting(OstiaryClientSettings.SERVICE_ROLES, Set.copyOf(client.getServiceRoles()))
                .setting(OstiaryClientSettings.INTROSPECTION_ALLOWED, client.isIntrospectionAllowed())
                .setting(OstiaryClientSettings.REQUIRE_DPOP, client.isRequireDpop())
                .setting(OstiaryClientSettings.THIRD_PARTY, client.getRegisteredBy().thirdParty())
                .setting(OstiaryClientSettings.TOKEN_EXCHANGE, client.getTokenExchange())
                .setting(OstiaryClientSettings.REQUIRE_PAR, client.isRequirePushedAuthorizationRequests() || client.isFapi2())
                .setting(OstiaryClientSettings.REQUIRE_SIGNED_REQUEST_OBJECT, client.isRequireSignedRequestObject())
                .setting(OstiaryClientSettings.FAPI2, client.isFapi2())
                .setting(OstiaryClientSettings.REQUIRE_SECOND_FACTOR, client.isRequireSecondFactor())
                .setting(OstiaryClientSettings.RESOURCES, Set.copyOf(client.getResources()));
        if (client.getJwksUri() != null) {
            settings.jwkSetUrl(client.getJwksUri());
        }
        if (client.getJwks() != null) {
            settings.setting(OstiaryClientSettings.INLINE_JWKS, client.getJwks());
        }
        if (client.getOwnerUsername() != null) {
            settings.setting(OstiaryClientSettings.OWNER, client.getOwnerUsername());
        }
        return Fapi2Rules.atRequestTime(RegisteredClient.withId(client.getId().toString())
                .clientId(client.getClientId())
                .clientName(client.getClientName())
                .clientIdIssuedAt(client.getCreatedAt())
                .clientSecret(client.getSecretHash())
                .clientSecretExpiresAt(client.getSecretExpiresAt())
                .clientAuthenticationMethods(methods -> client.getAuthMethods()
                        .forEach(m -> methods.add(new ClientAuthenticationMethod(m))))
                .authorizationGrantTypes(grants -> client.getGrantTypes()
                        .forEach(g -> grants.add(new AuthorizationGrantType(g))))
                .redirectUris(uris -> uris.addAll(client.getRedirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(client.getPostLogoutRedirectUris()))
                .scopes(scopes -> scopes.addAll(client.getScopes()))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(Duration.ofSeconds(client.getAccessTokenTtlSeconds()))
                        .refreshTokenTimeToLive(Duration.ofSeconds(client.getRefreshTokenTtlSeconds()))
                        .authorizationCodeTimeToLive(Duration.ofSeconds(client.getAuthCodeTtlSeconds()))
                        // rotation on every use; reuse of a rotated one revokes the family
                        .reuseRefreshTokens(false)
                        .setting(OstiaryClientSettings.IMPLICIT_TOKEN_TTL,
                                Duration.ofSeconds(client.getImplicitTokenTtlSeconds()))
                        .setting(OstiaryClientSettings.ACCESS_TOKEN_ALGORITHM, algorithm)
                        .build())
                .build(), client.isFapi2());
    }

    /** Copies what Spring Authorization Server may hand back to {@code save} onto a row. */
    static void copyInto(RegisteredClient registered, Client client) {
        client.setClientName(registered.getClientName())
                .setSecretHash(registered.getClientSecret())
                .setSecretExpiresAt(registered.getClientSecretExpiresAt())
                .setAuthMethods(names(registered.getClientAuthenticationMethods().stream()
                        .map(ClientAuthenticationMethod::getValue).toList()))
                .setGrantTypes(names(registered.getAuthorizationGrantTypes().stream()
                        .map(AuthorizationGrantType::getValue).toList()))
                .setRedirectUris(List.copyOf(registered.getRedirectUris()))
                .setPostLogoutRedirectUris(List.copyOf(registered.getPostLogoutRedirectUris()))
                .setScopes(Set.copyOf(registered.getScopes()))
                .setRequirePkce(registered.getClientSettings().isRequireProofKey())
                .setRequireConsent(registered.getClientSettings().isRequireAuthorizationConsent())
                .setAccessTokenTtlSeconds((int) registered.getTokenSettings().getAccessTokenTimeToLive().toSeconds())
                .setRefreshTokenTtlSeconds((int) registered.getTokenSettings().getRefreshTokenTimeToLive().toSeconds())
                .setAuthCodeTtlSeconds((int) registered.getTokenSettings().getAuthorizationCodeTimeToLive().toSeconds());
    }

    /** A public client cannot keep a secret, so PKCE is what binds its code to it (RFC 9700 §2.1.1). */
    private static boolean isPublic(Client client) {
        return client.getAuthMethods().contains(ClientAuthenticationMethod.NONE.getValue());
    }

    private static Set<String> names(List<String> values) {
        return new LinkedHashSet<>(values);
    }
}
