package dev.ostiary.clientmetadata;

import java.time.Clock;
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

import dev.ostiary.client.OstiaryClientSettings;

/**
 * What an unregistered client may do, whatever its document says: the code flow with PKCE (and
 * refresh, if it asks), never client_credentials or password; at most the configured scopes; consent
 * asked every time it wants more than the user allowed (third party); short-lived tokens; redirect
 * URIs exactly as declared.
 */
final class UnregisteredClientShape {

    static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(5);
    static final Duration REFRESH_TOKEN_TTL = Duration.ofHours(8);
    static final Duration CODE_TTL = Duration.ofMinutes(1);

    private final List<String> allowedScopes;
    private final Clock clock;

    UnregisteredClientShape(List<String> allowedScopes, Clock clock) {
        this.allowedScopes = List.copyOf(allowedScopes);
        this.clock = clock;
    }

    RegisteredClient of(String id, ClientMetadataDocument document, String host) {
        Set<String> scopes = new LinkedHashSet<>(allowedScopes);
        if (document.scopes() != null) {
            scopes.retainAll(document.scopes());
        }
        ClientSettings.Builder settings = ClientSettings.builder().requireProofKey(true)
                .requireAuthorizationConsent(true);
        OstiaryClientSettings.fromMetadataDocument(settings, host, document.jwks());
        if (document.jwksUri() != null) {
            settings.jwkSetUrl(document.jwksUri());
        }
        return RegisteredClient.withId(id)
                .clientId(document.clientId())
                .clientName(document.clientName() != null ? document.clientName() : host)
                .clientIdIssuedAt(clock.instant())
                .clientAuthenticationMethod(new ClientAuthenticationMethod(document.tokenEndpointAuthMethod()))
                .authorizationGrantTypes(grants -> document.grantTypes()
                        .forEach(g -> grants.add(new AuthorizationGrantType(g))))
                .redirectUris(uris -> uris.addAll(document.redirectUris()))
                .scopes(s -> s.addAll(scopes))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(ACCESS_TOKEN_TTL)
                        .refreshTokenTimeToLive(REFRESH_TOKEN_TTL)
                        .authorizationCodeTimeToLive(CODE_TTL)
                        .reuseRefreshTokens(false)
                        .build())
                .build();
    }
}
