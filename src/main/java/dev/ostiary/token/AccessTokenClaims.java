package dev.ostiary.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.grant.Grants;
import dev.ostiary.grant.TokenRoles;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * The one place that shapes access tokens, as JWTs per RFC 9068: header {@code typ: at+jwt} and the
 * algorithm the client is configured for; claims {@code client_id}, {@code scope} (space-separated),
 * {@code roles}, {@code aud}: the resources asked for ({@link ResourceAudience}, RFC 8707), or else the
 * resource servers the granted scopes belong to, and a stateless
 * {@code jti} for the grants registered so. The roles, and whether the holder may still have the
 * granted scopes at all, are read as they are now, never copied from the grant (deprovisioning takes
 * effect at the next token).
 *
 * <p>It runs after Spring Authorization Server's own customizers ({@link OstiaryTokenGenerator}), which
 * add {@code cnf} (the DPoP key's {@code jkt}, RFC 9449 §6; a client certificate's {@code x5t#S256},
 * RFC 8705 §3) and the token exchange's {@code act} (RFC 8693 §4.1). Replacing the generator without
 * them would silently drop both.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2">RFC 9068 §2</a>
 */
public class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final ScopeCatalog scopes;
    private final SigningKeySet keys;
    private final KeysProperties keysProperties;
    private final Accounts accounts;
    private final ServiceRoles serviceRoles;
    private final Grants grants;
    private final ResourceAudience resources;

    public AccessTokenClaims(ScopeCatalog scopes, SigningKeySet keys, KeysProperties keysProperties, Accounts accounts,
            ServiceRoles serviceRoles, Grants grants, ResourceAudience resources) {
        this.resources = resources;
        this.grants = grants;
        this.scopes = scopes;
        this.keys = keys;
        this.keysProperties = keysProperties;
        this.accounts = accounts;
        this.serviceRoles = serviceRoles;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        RegisteredClient client = context.getRegisteredClient();
        context.getJwsHeader().type("at+jwt").algorithm(algorithmFor(client).springAlgorithm());

        Set<String> granted = context.getAuthorizedScopes();
        List<String> roles = rolesOf(context, client, granted);
        // the audience a token exchange asked for, as grant/tokenexchange checked it (RFC 8693 §2.1); else
        // the resources asked for (RFC 8707); without any, the audiences of the scopes (docs/architecture.md)
        Set<String> indicated = context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken exchange
                && !exchange.getAudiences().isEmpty() ? exchange.getAudiences() : resources.of(context);
        Set<String> audiences = indicated.isEmpty() ? scopes.audiencesOf(granted) : indicated;
        context.getClaims().claims(claims -> {
            claims.put("client_id", client.getClientId());
            if (granted.isEmpty()) {
                claims.remove("scope");
            } else {
                claims.put("scope", String.join(" ", granted));
            }
            claims.put("roles", roles);
            if (!audiences.isEmpty()) {
                claims.put("aud", new ArrayList<>(audiences));
            }
        });
        AuthorizationGrantType grant = context.getAuthorizationGrantType();
        if (grants.statelessAccessTokens(grant)) {
            context.getClaims().id(StatelessAccessTokens.newJti(grant));
        }
    }

    private SigningAlgorithm algorithmFor(RegisteredClient client) {
        SigningAlgorithm wanted = OstiaryClientSettings.accessTokenSigningAlgorithm(client);
        if (keys.current().activeKey(wanted).isPresent()) {
            return wanted;
        }
        return keysProperties.defaultAlgorithm();
    }

    /**
     * A user's roles, or a service client's own roles when it acts for itself, as they are now.
     * Only a grant registered so (the password grant) read its user from the database for this very
     * request; every other user token (a refresh, a code redemption, an implicit token from a session) re-reads the
     * account: gone, locked, disabled, or newer than the grant (a deleted namesake's grant) is
     * {@code invalid_grant}, and so is a scope the current roles no longer allow (RFC 6749 §5.2:
     * the grant was revoked). A failure here fails the request before anything is stored.
     */
    private List<String> rolesOf(JwtEncodingContext context, RegisteredClient client, Set<String> granted) {
        Authentication principal = context.getPrincipal();
        if (principal instanceof OAuth2ClientAuthenticationToken) {
            return serviceRoles.current(client)
                    .orElseThrow(() -> error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                            "The client's owner may no longer act: it cannot obtain tokens for itself"))
                    .stream().sorted().toList();
        }
        if (grants.tokenRoles(context.getAuthorizationGrantType()) == TokenRoles.USER_AUTHENTICATED_BY_THE_GRANT) {
            return AuthorityNames.roles(principal.getAuthorities()).stream().sorted().toList();
        }
        Account account = accounts.find(principal.getName())
                .filter(Account::active)
                .filter(a -> a.issuedSinceCreation(grantIssuedAt(context)))
                .orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_GRANT, "The resource owner's account is not active"));
        Set<String> allowed = scopes.allowedFor(granted, account.roles());
        if (!allowed.containsAll(granted)) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The resource owner's roles no longer allow the granted scopes");
        }
        return account.roles().stream().sorted().toList();
    }

    /** When the grant behind this token was issued: the refresh token or code presented, if any. */
    private static Instant grantIssuedAt(JwtEncodingContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        if (authorization == null) {
            return null;
        }
        OAuth2Authorization.Token<? extends OAuth2Token> presented =
                AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                        ? authorization.getRefreshToken() : authorization.getToken(OAuth2AuthorizationCode.class);
        return presented == null ? null : presented.getToken().getIssuedAt();
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description,
                "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2"));
    }
}
