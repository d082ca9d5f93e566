package dev.ostiary.authorization;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * Verifies our own access tokens for our own APIs: signature and lifetime, that the token is meant
 * for this API ({@code aud}, checked before any database work), that it was not revoked (its family
 * revoked, its consent withdrawn, its jti revoked), and that its holder still holds what the token
 * says: the user (or a self-service client's owner) exists, is neither locked nor disabled, is not
 * a newer namesake, and still has every role in the token's {@code roles}. So a demoted, locked or
 * deleted admin's token is refused at its next request, whatever its kind (code, password,
 * implicit or client credentials). A resource server elsewhere can only check the first part.
 */
public final class ActiveAccessTokens implements JwtDecoder {

    private final JwtDecoder signatures;
    private final OAuth2TokenValidator<Jwt> audience;
    private final AccessTokenAuthorizations authorizations;
    private final Accounts accounts;
    private final ServiceRoles serviceRoles;
    private final RegisteredClientRepository clients;

    public ActiveAccessTokens(JwtDecoder signatures, OAuth2TokenValidator<Jwt> audience,
            AccessTokenAuthorizations authorizations, Accounts accounts, ServiceRoles serviceRoles,
            RegisteredClientRepository clients) {
        this.clients = clients;
        this.signatures = signatures;
        this.audience = audience;
        this.authorizations = authorizations;
        this.accounts = accounts;
        this.serviceRoles = serviceRoles;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = signatures.decode(token);
        OAuth2TokenValidatorResult intended = audience.validate(jwt);
        if (intended.hasErrors()) {
            throw new BadJwtException("The access token is meant for another API");
        }
        OAuth2Authorization authorization = authorizations.findByVerifiedAccessToken(jwt);
        OAuth2Authorization.Token<?> accessToken = authorization == null ? null : authorization.getToken(token);
        if (accessToken == null || !accessToken.isActive()) {
            throw new BadJwtException("The access token was revoked");
        }
        Set<String> held = currentRoles(authorization, jwt)
                .orElseThrow(() -> new BadJwtException("The access token's holder is no longer active"));
        List<String> claimed = jwt.getClaimAsStringList("roles");
        if (claimed != null && !held.containsAll(claimed)) {
            throw new BadJwtException("The access token's holder no longer has its roles");
        }
        return jwt;
    }

    private Optional<Set<String>> currentRoles(OAuth2Authorization authorization, Jwt jwt) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
            return client == null ? Optional.empty() : serviceRoles.current(client);
        }
        return accounts.find(authorization.getPrincipalName())
                .filter(Account::active)
                .filter(account -> account.issuedSinceCreation(jwt.getIssuedAt()))
                .map(Account::roles);
    }
}
