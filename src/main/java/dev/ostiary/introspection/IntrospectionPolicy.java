package dev.ostiary.introspection;

import java.util.Optional;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * Who may learn about a token (RFC 7662 §4 leaves it to the server): the client it was issued to,
 * and clients registered as introspectors (resource servers such as {@code demo-api}). Anyone else
 * is told the token is inactive, as if it did not exist, so introspection cannot be used to probe
 * other clients' tokens.
 *
 * A token whose holder was deprovisioned is inactive too. Tokens with an authorization row lose it
 * when their user is changed, locked or deleted; tokens without one are checked here, by the grant
 * their {@code jti} names ({@link StatelessAccessTokens#grantOrGuess}): a self-service client's
 * client_credentials token once its owner is gone, locked or disabled ({@link ServiceRoles}), any
 * other (implicit) token once its user is gone, locked, disabled, a newer namesake, or no longer
 * allowed its scopes.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-4">RFC 7662 §4</a>
 */
public final class IntrospectionPolicy implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final Holders holders;

    public IntrospectionPolicy(AuthenticationProvider delegate, Holders holders) {
        this.delegate = delegate;
        this.holders = holders;
    }

    /** What introspection needs to re-check the holder of a token that has no authorization row. */
    public record Holders(RegisteredClientRepository clients, ServiceRoles serviceRoles, Accounts accounts,
            ScopeCatalog scopes) {

        boolean stillActive(OAuth2TokenIntrospection claims) {
            Optional<AuthorizationGrantType> grant = StatelessAccessTokens.grantOrGuess(claims.getId(),
                    claims.getSubject(), claims.getClientId());
            if (grant.isEmpty()) {
                return true; // it has a row, which its holder's changes already removed
            }
            // a client acting for itself: the grant in the token says so, not a subject equal to the
            // client id (a user may bear that name)
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(grant.get())) {
                RegisteredClient client = clients.findByClientId(claims.getClientId());
                return client != null && (OstiaryClientSettings.owner(client) == null
                        || serviceRoles.current(client).isPresent());
            }
            Optional<Account> account = accounts.find(claims.getSubject())
                    .filter(Account::active)
                    .filter(a -> a.issuedSinceCreation(claims.getIssuedAt()));
            Set<String> granted = claims.getScopes() == null ? Set.of() : Set.copyOf(claims.getScopes());
            return account.isPresent() && scopes.allowedFor(granted, account.get().roles()).containsAll(granted);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2TokenIntrospectionAuthenticationToken result = (OAuth2TokenIntrospectionAuthenticationToken) delegate
                .authenticate(authentication);
        if (result == null || !result.getTokenClaims().isActive()
                || !(result.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller)
                || caller.getRegisteredClient() == null) {
            return result;
        }
        boolean allowed = OstiaryClientSettings.introspectionAllowed(caller.getRegisteredClient())
                || caller.getRegisteredClient().getClientId().equals(result.getTokenClaims().getClientId());
        if (allowed && holders.stillActive(result.getTokenClaims())) {
            return result;
        }
        return new OAuth2TokenIntrospectionAuthenticationToken(result.getToken(), caller,
                OAuth2TokenIntrospection.builder().build());
    }
}
