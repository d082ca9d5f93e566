package dev.ostiary.grant.implicit;

import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * Issues the implicit flow's access token through the shared token generator, with the client's
 * short implicit lifetime (5 minutes by default) instead of its usual one, and nothing else: no
 * refresh token, no stored authorization (the token is checked by signature and can be revoked by
 * its jti).
 */
final class ImplicitTokenIssuer {

    private final OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator;

    ImplicitTokenIssuer(OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator) {
        this.tokenGenerator = tokenGenerator;
    }

    OAuth2AccessToken issue(RegisteredClient client, Authentication user, Set<String> scopes) {
        RegisteredClient shortLived = RegisteredClient.from(client)
                .tokenSettings(TokenSettings.withSettings(client.getTokenSettings().getSettings())
                        .accessTokenTimeToLive(OstiaryClientSettings.implicitAccessTokenTimeToLive(client))
                        .build())
                .build();
        OAuth2Token token = tokenGenerator.generate(DefaultOAuth2TokenContext.builder()
                .registeredClient(shortLived)
                .principal(user)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(scopes)
                .tokenType(OAuth2TokenType.ACCESS_TOKEN)
                .authorizationGrantType(OstiaryGrantTypes.IMPLICIT)
                .build());
        if (token == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                    "The token generator failed to generate the access token", null));
        }
        return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token.getTokenValue(), token.getIssuedAt(),
                token.getExpiresAt(), scopes);
    }
}
