package dev.ostiary.grant.password;

import java.security.Principal;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.Jwt;

import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.login.Factors;
import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.secondfactor.SecondFactorSession;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.token.TokenEndpointErrors;

/**
 * The resource owner password credentials grant, in the shape of Spring Authorization Server's own
 * grants: validate everything, then issue. Legacy (RFC 9700 §2.4 says it MUST NOT be used), so only
 * clients that list {@code password} among their grant types may use it. The user's password is
 * checked by the same provider as the login form, lockout included. Scopes are those requested
 * (or all the client's), within the client's registration, then reduced to what the user's roles
 * allow.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3">RFC 6749 §4.3</a>
 */
public final class PasswordGrantAuthenticationProvider implements AuthenticationProvider {

    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2";
    private static final DPoPProofJwtDecoderFactory DPOP_PROOFS = new DPoPProofJwtDecoderFactory();

    private final AuthenticationProvider users;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator;
    private final ScopeCatalog scopes;
    private final SecondFactors secondFactors;
    private final Clock clock;

    public PasswordGrantAuthenticationProvider(AuthenticationProvider users, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, ScopeCatalog scopes) {
        this(users, authorizations, tokenGenerator, scopes, null, Clock.systemUTC());
    }

    /**
     * @param secondFactors for users with an authenticator app, whose grant needs the {@code totp}
     *        parameter too (Keycloak's name); null: passwords only
     */
    public PasswordGrantAuthenticationProvider(AuthenticationProvider users, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, ScopeCatalog scopes,
            SecondFactors secondFactors, Clock clock) {
        this.users = users;
        this.authorizations = authorizations;
        this.tokenGenerator = tokenGenerator;
        this.scopes = scopes;
        this.secondFactors = secondFactors;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PasswordGrantAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        PasswordGrantAuthenticationToken grant = (PasswordGrantAuthenticationToken) authentication;
        OAuth2ClientAuthenticationToken clientPrincipal = authenticatedClient(grant);
        RegisteredClient client = clientPrincipal.getRegisteredClient();

        if (!client.getAuthorizationGrantTypes().contains(OstiaryGrantTypes.PASSWORD)) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed the password grant");
        }
        Set<String> requested = grant.getScopes().isEmpty() ? client.getScopes() : grant.getScopes();
        if (!client.getScopes().containsAll(requested)) {
            Set<String> unknown = new LinkedHashSet<>(requested);
            unknown.removeAll(client.getScopes());
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The client may not request scope: " + String.join(" ", unknown));
        }

        Jwt proof = verifyDPoPProof(grant);
        Authentication user = secondFactor(grant, authenticateUser(grant));
        Set<String> granted = scopes.allowedFor(requested, AuthorityNames.roles(user.getAuthorities()));
        if (granted.isEmpty() && !requested.isEmpty()) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The user's roles allow none of the requested scopes");
        }

        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(user)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(granted)
                .authorizationGrantType(OstiaryGrantTypes.PASSWORD)
                .authorizationGrant(grant);
        if (proof != null) {
            context.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof);
        }
        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .principalName(user.getName())
                .authorizationGrantType(OstiaryGrantTypes.PASSWORD)
                .authorizedScopes(granted)
                // the refresh_token grant reads the user from here
                .attribute(Principal.class.getName(), user);
        // the resources of the grant (RFC 8707): a refresh may narrow them, never widen them; the token
        // generator checks them (token/ResourceAudience) before anything is stored
        Set<String> resources = ResourceIndicators.requested(grant.getAdditionalParameters());
        if (!resources.isEmpty()) {
            authorization.attribute(ResourceIndicators.GRANTED_ATTRIBUTE, ResourceIndicators.formatGranted(resources));
        }

        OAuth2Token generatedAccess = tokenGenerator.generate(context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build());
        if (generatedAccess == null) {
            throw error(OAuth2ErrorCodes.SERVER_ERROR, "The token generator failed to generate the access token");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(proof != null ? OAuth2AccessToken.TokenType.DPOP
                : OAuth2AccessToken.TokenType.BEARER,
                generatedAccess.getTokenValue(), generatedAccess.getIssuedAt(), generatedAccess.getExpiresAt(),
                granted);
        if (generatedAccess instanceof ClaimAccessor claims) {
            authorization.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                    claims.getClaims()));
        } else {
            authorization.accessToken(accessToken);
        }

        OAuth2RefreshToken refreshToken = null;
        if (client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
            OAuth2Token generatedRefresh = tokenGenerator.generate(
                    context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build());
            if (generatedRefresh instanceof OAuth2RefreshToken refresh) {
                refreshToken = refresh;
                authorization.refreshToken(refreshToken);
            }
        }
        authorizations.save(authorization.build());
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, refreshToken);
    }

    /** The DPoP proof, checked as Spring checks it for its own grants (signature, htm, htu, iat, jti). */
    private static Jwt verifyDPoPProof(PasswordGrantAuthenticationToken grant) {
        Object proof = grant.getAdditionalParameters().get("dpop_proof");
        if (!(proof instanceof String value) || value.isBlank()) {
            return null;
        }
        try {
            DPoPProofContext context = DPoPProofContext.withDPoPProof(value)
                    .method((String) grant.getAdditionalParameters().get("dpop_method"))
                    .targetUri((String) grant.getAdditionalParameters().get("dpop_target_uri"))
                    .build();
            return DPOP_PROOFS.createDecoder(context).decode(value);
        } catch (RuntimeException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF), e);
        }
    }

    private Authentication authenticateUser(PasswordGrantAuthenticationToken grant) {
        UsernamePasswordAuthenticationToken credentials = UsernamePasswordAuthenticationToken.unauthenticated(
                grant.getUsername(), grant.getPassword());
        credentials.setDetails(grant.getDetails());
        grant.eraseCredentials();
        try {
            Authentication user = users.authenticate(credentials);
            if (user instanceof CredentialsContainer container) {
                // the authorization stores the user: without the password hash
                container.eraseCredentials();
            }
            return user;
        } catch (LockedException e) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT,
                    "Too many failed attempts: the account is locked for a while");
        } catch (dev.ostiary.user.PooledArgon2PasswordEncoder.PasswordChecksBusyException e) {
            // the password was not checked: not a wrong password; a retryable 503 (TokenEndpointErrors)
            throw error(TokenEndpointErrors.TEMPORARILY_UNAVAILABLE, "Too many logins in progress; try again later");
        } catch (AuthenticationException e) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "Invalid resource owner credentials");
        }
    }

    /**
     * A user with an authenticator app must send its current code as {@code totp}: missing, wrong or
     * reused, it is the same {@code invalid_grant} as a wrong password (nothing tells a caller that
     * the password was right), counted for the second factor's lockout. A valid code adds
     * {@code FACTOR_TOTP} to the user's authentication, which the authorization stores, so the
     * token's claims can show it.
     */
    private Authentication secondFactor(PasswordGrantAuthenticationToken grant, Authentication user) {
        if (secondFactors == null || !secondFactors.hasApp(user.getName())) {
            return user;
        }
        Object totp = grant.getAdditionalParameters().get(PasswordGrantAuthenticationConverter.TOTP);
        String sourceIp = grant.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        SecondFactors.Outcome outcome = secondFactors.proveTotp(user.getName(),
                totp instanceof String code ? code : "", sourceIp);
        if (outcome == SecondFactors.Outcome.LOCKED) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "Too many failed attempts: the account is locked for a while");
        }
        if (outcome != SecondFactors.Outcome.ACCEPTED) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "Invalid resource owner credentials");
        }
        return SecondFactorSession.withFactor(user, Factors.TOTP, clock.instant());
    }

    private static OAuth2ClientAuthenticationToken authenticatedClient(Authentication grant) {
        if (grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
                && client.getRegisteredClient() != null) {
            return client;
        }
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
    }
}
