package dev.ostiary.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.grant.Grants;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.authorizationcode.AuthorizationCodeGrant;
import dev.ostiary.grant.clientcredentials.ClientCredentialsGrant;
import dev.ostiary.grant.implicit.ImplicitGrant;
import dev.ostiary.grant.password.PasswordGrant;
import dev.ostiary.grant.refreshtoken.RefreshTokenGrant;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * Fixtures for unit tests of grants (no Spring context, no database), in the style of Spring
 * Authorization Server's {@code TestRegisteredClients}: builders to adjust, a fixed clock.
 */
public final class GrantFixtures {

    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);
    public static final String ISSUER = "https://ostiary.example";
    public static final String REDIRECT_URI = "https://app.example/callback";

    private static final Map<String, ScopeDefinition> SCOPES = Map.of(
            "openid", new ScopeDefinition("openid", "Sign in", null, null, false),
            "read", new ScopeDefinition("read", "Read your records", null, "demo-api", false),
            "write", new ScopeDefinition("write", "Change your records", "WRITER", "demo-api", false));

    private GrantFixtures() {
    }

    /** The server's five registrations as their packages declare them, without their endpoints. */
    public static Grants grants() {
        return Grants.of(AuthorizationCodeGrant.declaration().build(), ClientCredentialsGrant.declaration().build(),
                RefreshTokenGrant.declaration().build(), PasswordGrant.declaration().build(),
                ImplicitGrant.declaration().build());
    }

    /** Scopes {@code openid}, {@code read} (anyone) and {@code write} (role WRITER). */
    public static ScopeCatalog scopes() {
        return new ScopeCatalog(null) {
            @Override
            public Map<String, ScopeDefinition> all() {
                return SCOPES;
            }
        };
    }

    /** A confidential client with the password grant and refresh tokens, scopes openid read write. */
    public static RegisteredClient.Builder passwordClient() {
        return RegisteredClient.withId("id-legacy").clientId("legacy-app").clientSecret("{noop}secret")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(OstiaryGrantTypes.PASSWORD)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope("openid").scope("read").scope("write");
    }

    /** A public browser client with the implicit grant, one redirect URI, scopes read write, consent asked. */
    public static RegisteredClient.Builder implicitClient() {
        return RegisteredClient.withId("id-spa").clientId("spa")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(OstiaryGrantTypes.IMPLICIT)
                .redirectUri(REDIRECT_URI)
                .scope("read").scope("write")
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(true).build());
    }

    /** An administrator's service client with client_credentials, scopes read write, holding {@code roles}. */
    public static RegisteredClient.Builder serviceClient(String... roles) {
        return RegisteredClient.withId("id-svc").clientId("svc").clientSecret("{noop}secret")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("read").scope("write")
                .clientSettings(ClientSettings.builder()
                        .setting("ostiary.client.service-roles", Set.of(roles)).build());
    }

    /** {@code client} as Spring's client authentication leaves it: authenticated with its secret. */
    public static OAuth2ClientAuthenticationToken authenticated(RegisteredClient client) {
        return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.CLIENT_SECRET_BASIC, "secret");
    }

    /** A signed-in user with {@code roles} (as {@code ROLE_} authorities). */
    public static UsernamePasswordAuthenticationToken user(String name, String... roles) {
        return UsernamePasswordAuthenticationToken.authenticated(name, null, AuthorityUtils.createAuthorityList(
                Arrays.stream(roles).map(role -> "ROLE_" + role).toArray(String[]::new)));
    }

    /** The server context of a request to {@link #ISSUER}. */
    public static AuthorizationServerContext serverContext() {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer(ISSUER).build();
        return new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return ISSUER;
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return settings;
            }
        };
    }

    /** A bearer access token issued at {@link #CLOCK} for {@code subject}, its value an unsigned JWT. */
    public static OAuth2AccessToken accessToken(String subject, Set<String> scopes) {
        String value = new PlainJWT(new JWTClaimsSet.Builder().subject(subject).build()).serialize();
        return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, CLOCK.instant(),
                CLOCK.instant().plus(Duration.ofMinutes(5)), scopes);
    }

    /**
     * A token generator issuing at {@link #CLOCK}: access tokens as unsigned JWTs with the principal
     * as subject and the client's access token lifetime, refresh tokens for every client.
     */
    public static OAuth2TokenGenerator<OAuth2Token> tokenGenerator() {
        return context -> {
            Instant now = CLOCK.instant();
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                Duration ttl = context.getRegisteredClient().getTokenSettings().getAccessTokenTimeToLive();
                String value = new PlainJWT(new JWTClaimsSet.Builder().subject(context.getPrincipal().getName())
                        .build()).serialize();
                return Jwt.withTokenValue(value).header("alg", "none").subject(context.getPrincipal().getName())
                        .claim("scope", String.join(" ", context.getAuthorizedScopes()))
                        .issuedAt(now).expiresAt(now.plus(ttl)).build();
            }
            if (OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
                return new OAuth2RefreshToken("refresh-token", now, now.plus(Duration.ofHours(1)));
            }
            return null;
        };
    }
}
