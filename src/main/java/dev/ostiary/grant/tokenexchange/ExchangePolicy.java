package dev.ostiary.grant.tokenexchange;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.client.TokenExchangePolicy;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.scope.ScopeCatalog;

/**
 * Whether a client may exchange what it presents, and for what: every rule of a token exchange
 * that is not Spring's, decided before anything is issued. Never a path to widen: the result's
 * scopes are within the subject token's and the client's (and what the user's roles allow), its
 * audience within the client's policy, its lifetime within the subject's and actor's tokens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 §2.1</a>
 */
final class ExchangePolicy {

    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2";
    /** RFC 8707 §2, which RFC 8693 §2.2.2 uses for an audience the server will not issue for. */
    static final String INVALID_TARGET = "invalid_target";

    /**
     * What may be issued.
     *
     * @param subject the subject token's authorization (a row: a user's grant)
     * @param subjectClient the client the subject token was issued to
     * @param subjectUser the resource owner, without any earlier actors
     * @param actor the actor token's authorization, null for impersonation
     * @param scopes the result's scopes
     * @param audiences the result's {@code aud}
     * @param notAfter when the result must expire at the latest
     */
    record Exchange(OAuth2Authorization subject, String subjectClient, Authentication subjectUser,
            OAuth2Authorization actor, Set<String> scopes, Set<String> audiences, Instant notAfter) {
    }

    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;
    private final ScopeCatalog scopes;
    private final Clock clock;

    ExchangePolicy(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients, ScopeCatalog scopes,
            Clock clock) {
        this.authorizations = authorizations;
        this.clients = clients;
        this.scopes = scopes;
        this.clock = clock;
    }

    /**
     * @param proofKey the RFC 7638 thumbprint of the request's verified DPoP proof key, or null
     */
    Exchange decide(OAuth2TokenExchangeAuthenticationToken request, RegisteredClient client, String proofKey) {
        if (!client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.TOKEN_EXCHANGE)) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed the token-exchange grant");
        }
        TokenExchangePolicy policy = OstiaryClientSettings.tokenExchange(client);
        if (!request.getResources().isEmpty()) {
            throw error(INVALID_TARGET,
                    "resource is not supported by token exchange here: name the target with audience");
        }
        OAuth2Authorization subject = activeAccessToken(request.getSubjectToken(), "subject");
        if (StatelessAccessTokens.isStateless(jti(subject))
                || !(subject.getAttribute(Principal.class.getName()) instanceof Authentication principal)) {
            // client_credentials and implicit tokens have no stored grant, and a client_credentials
            // token no user: a service asks for its own tokens, it does not exchange another's
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "A client_credentials or implicit access token cannot be"
                    + " exchanged: the subject token must come from a user's grant (code, password, refresh, exchange)");
        }
        RegisteredClient issuedTo = clients.findById(subject.getRegisteredClientId());
        String subjectClient = issuedTo == null ? null : issuedTo.getClientId();
        if (subjectClient == null || !policy.subjectClients().contains(subjectClient)) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT,
                    "This client may not exchange tokens issued to " + (subjectClient == null ? "that client" : subjectClient));
        }
        boundToTheProofKey(subject, "subject", proofKey);

        OAuth2Authorization actor = null;
        if (request.getActorToken() != null && !request.getActorToken().isEmpty()) {
            actor = activeAccessToken(request.getActorToken(), "actor");
            // the actor is the client asking, proven by one of its own tokens (RFC 8693 §1.1, §4.1)
            if (!client.getId().equals(actor.getRegisteredClientId())) {
                throw error(OAuth2ErrorCodes.INVALID_GRANT, "The actor token must be an access token issued to this client");
            }
            boundToTheProofKey(actor, "actor", proofKey);
        } else if (!policy.impersonation()) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "This client may only delegate: send its own access token as actor_token");
        } else if (principal instanceof OAuth2TokenExchangeCompositeAuthenticationToken) {
            // impersonating a delegated token would issue a plain user token and erase who acted before
            // (RFC 8693 §4.1 keeps the chain in nested act): a delegated token is only delegated further
            throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "The subject token was delegated (it has act): send this client's own access token as actor_token");
        }

        Authentication user = principal instanceof OAuth2TokenExchangeCompositeAuthenticationToken composite
                ? composite.getSubject() : principal;
        Set<String> granted = scopesFor(request.getScopes(), subject, client, user);
        Set<String> audiences = audiencesFor(request.getAudiences(), granted, policy);
        Instant notAfter = subject.getAccessToken().getToken().getExpiresAt();
        if (actor != null && actor.getAccessToken().getToken().getExpiresAt() != null
                && actor.getAccessToken().getToken().getExpiresAt().isBefore(notAfter)) {
            notAfter = actor.getAccessToken().getToken().getExpiresAt();
        }
        return new Exchange(subject, subjectClient, user, actor, granted, audiences, notAfter);
    }

    /** An access token of this server (verified, found), not revoked, not expired: else invalid_grant. */
    private OAuth2Authorization activeAccessToken(String value, String role) {
        OAuth2Authorization authorization = authorizations.findByToken(value, OAuth2TokenType.ACCESS_TOKEN);
        OAuth2Authorization.Token<OAuth2AccessToken> token = authorization == null ? null
                : authorization.getAccessToken();
        if (token == null || !value.equals(token.getToken().getTokenValue())) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The " + role + " token is not an access token of this server");
        }
        Instant expiresAt = token.getToken().getExpiresAt();
        if (token.isInvalidated() || expiresAt == null || !clock.instant().isBefore(expiresAt)) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The " + role + " token is expired or revoked");
        }
        return authorization;
    }

    /**
     * A sender-constrained token (RFC 9449 §6, RFC 8705 §3) is exchanged only by the holder of its
     * key, with a proof of that key, and the result is bound to the same key: otherwise whoever saw a
     * bound token could trade it for a bearer one. RFC 9449 says nothing of exchange; this is the
     * conservative reading (docs/grants/token-exchange.md).
     */
    private static void boundToTheProofKey(OAuth2Authorization authorization, String role, String proofKey) {
        Map<String, Object> claims = authorization.getAccessToken().getClaims();
        if (claims == null || !(claims.get("cnf") instanceof Map<?, ?> cnf)) {
            return;
        }
        Object jkt = cnf.get("jkt");
        if (jkt == null) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The " + role + " token is bound to a certificate: it cannot"
                    + " be exchanged");
        }
        if (proofKey == null) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The " + role + " token is DPoP-bound: send a DPoP proof of"
                    + " its key");
        }
        if (!proofKey.equals(jkt.toString())) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "The DPoP proof's key is not the one the " + role
                    + " token is bound to");
        }
    }

    /**
     * The requested scopes, or by default all the subject token's that the client has; each within
     * the subject token's and the client's, then reduced to what the user's roles allow (as
     * {@code grant/resourceowner} does for the other user grants; the account as it is now is checked
     * again when the token is shaped, {@code AccessTokenClaims}).
     */
    private Set<String> scopesFor(Set<String> requested, OAuth2Authorization subject, RegisteredClient client,
            Authentication user) {
        Set<String> allowed = new LinkedHashSet<>(subject.getAccessToken().getToken().getScopes());
        allowed.retainAll(client.getScopes());
        Set<String> wanted = requested == null || requested.isEmpty() ? allowed : requested;
        if (!allowed.containsAll(wanted)) {
            Set<String> wider = new LinkedHashSet<>(wanted);
            wider.removeAll(allowed);
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "Not within the subject token's and the client's scopes: "
                    + String.join(" ", wider));
        }
        Set<String> granted = scopes.allowedFor(wanted, AuthorityNames.roles(user.getAuthorities()));
        if (granted.isEmpty()) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "No scope of the subject token may be exchanged");
        }
        return granted;
    }

    /**
     * The requested audiences (RFC 8693 §2.1), or by default those of the granted scopes; each must
     * be one the client's policy allows: {@code invalid_target} otherwise (§2.2.2).
     */
    private Set<String> audiencesFor(Set<String> requested, Set<String> granted, TokenExchangePolicy policy) {
        Set<String> audiences = requested == null || requested.isEmpty() ? scopes.audiencesOf(granted)
                : new LinkedHashSet<>(requested);
        if (audiences.isEmpty()) {
            throw error(INVALID_TARGET, "Name the audience of the exchanged token (audience)");
        }
        for (String audience : audiences) {
            if (!policy.audiences().contains(audience) || TokenExchangePolicy.ADMIN_API_AUDIENCE.equals(audience)) {
                throw error(INVALID_TARGET, "This client may not ask for the audience " + audience);
            }
        }
        return audiences;
    }

    private static String jti(OAuth2Authorization authorization) {
        Map<String, Object> claims = authorization.getAccessToken().getClaims();
        return claims == null || claims.get("jti") == null ? null : claims.get("jti").toString();
    }

    static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
    }
}
