package dev.ostiary.grant.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;
import dev.ostiary.token.TokenEndpointErrors;
import dev.ostiary.user.PooledArgon2PasswordEncoder;

@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class PasswordGrantAuthenticationProviderTest {

    private final InMemoryOAuth2AuthorizationService authorizations = new InMemoryOAuth2AuthorizationService();
    private RuntimeException userCheckFailure;
    private final AuthenticationProvider users = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication credentials) {
            if (userCheckFailure != null) {
                throw userCheckFailure;
            }
            if ("alice".equals(credentials.getName()) && "right".equals(credentials.getCredentials())) {
                return GrantFixtures.user("alice", "WRITER");
            }
            if ("bob".equals(credentials.getName()) && "right".equals(credentials.getCredentials())) {
                return GrantFixtures.user("bob");
            }
            throw new BadCredentialsException("wrong");
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };
    private final PasswordGrantAuthenticationProvider provider = new PasswordGrantAuthenticationProvider(users,
            authorizations, GrantFixtures.tokenGenerator(), GrantFixtures.scopes());

    @Test
    void authenticateWhenClientNotAuthenticatedThenInvalidClient() {
        OAuth2ClientAuthenticationToken unauthenticated = new OAuth2ClientAuthenticationToken("legacy-app",
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, "secret", null);

        assertError(grant(unauthenticated, "alice", "right", Set.of()), OAuth2ErrorCodes.INVALID_CLIENT, null);
    }

    @Test
    void authenticateWhenClientNotAllowedPasswordGrantThenUnauthorizedClient() {
        RegisteredClient codeOnly = RegisteredClient.from(GrantFixtures.passwordClient().build())
                .authorizationGrantTypes(types -> types.remove(OstiaryGrantTypes.PASSWORD)).build();

        assertError(grant(GrantFixtures.authenticated(codeOnly), "alice", "right", Set.of()),
                OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed the password grant");
    }

    @Test
    void authenticateWhenScopeNotRegisteredForClientThenInvalidScope() {
        assertError(grant("alice", "right", Set.of("read", "admin")), OAuth2ErrorCodes.INVALID_SCOPE,
                "The client may not request scope: admin");
    }

    @Test
    void authenticateWhenPasswordWrongThenInvalidGrant() {
        assertError(grant("alice", "wrong", Set.of()), OAuth2ErrorCodes.INVALID_GRANT,
                "Invalid resource owner credentials");
    }

    @Test
    void authenticateWhenAccountLockedThenInvalidGrant() {
        userCheckFailure = new LockedException("locked");

        assertError(grant("alice", "right", Set.of()), OAuth2ErrorCodes.INVALID_GRANT,
                "Too many failed attempts: the account is locked for a while");
    }

    @Test
    void authenticateWhenPasswordChecksBusyThenTemporarilyUnavailable() {
        userCheckFailure = new PooledArgon2PasswordEncoder.PasswordChecksBusyException();

        assertError(grant("alice", "right", Set.of()), TokenEndpointErrors.TEMPORARILY_UNAVAILABLE,
                "Too many logins in progress; try again later");
    }

    @Test
    void authenticateWhenRolesAllowNoneOfTheScopesThenInvalidScope() {
        assertError(grant("bob", "right", Set.of("write")), OAuth2ErrorCodes.INVALID_SCOPE,
                "The user's roles allow none of the requested scopes");
    }

    @Test
    void authenticateWhenValidThenTokensIssuedAndAuthorizationSavedWithTheUser() {
        PasswordGrantAuthenticationToken request = grant("bob", "right", Set.of("read", "write"));

        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) provider
                .authenticate(request);

        // write needs WRITER: reduced to what bob's roles allow
        assertThat(issued.getAccessToken().getScopes()).containsExactly("read");
        assertThat(issued.getAccessToken().getIssuedAt()).isEqualTo(GrantFixtures.CLOCK.instant());
        assertThat(issued.getRefreshToken()).isNotNull();
        assertThat(request.getPassword()).isNull();
        OAuth2Authorization saved = authorizations.findByToken(issued.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN);
        assertThat(saved.getPrincipalName()).isEqualTo("bob");
        assertThat(saved.getAuthorizationGrantType()).isEqualTo(OstiaryGrantTypes.PASSWORD);
        assertThat(saved.<Authentication>getAttribute(Principal.class.getName()).getName()).isEqualTo("bob");
        assertThat(saved.getRefreshToken()).isNotNull();
    }

    @Test
    void authenticateWhenNoScopeRequestedThenEveryClientScopeTheRolesAllow() {
        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) provider
                .authenticate(grant("bob", "right", Set.of()));

        assertThat(issued.getAccessToken().getScopes()).containsExactlyInAnyOrder("openid", "read");
    }

    @Test
    void authenticateWhenClientHasNoRefreshTokenGrantThenNoRefreshToken() {
        RegisteredClient noRefresh = RegisteredClient.from(GrantFixtures.passwordClient().build())
                .authorizationGrantTypes(types -> types.remove(AuthorizationGrantType.REFRESH_TOKEN)).build();

        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) provider
                .authenticate(grant(GrantFixtures.authenticated(noRefresh), "alice", "right", Set.of("read")));

        assertThat(issued.getRefreshToken()).isNull();
    }

    private PasswordGrantAuthenticationToken grant(String username, String password, Set<String> scopes) {
        return grant(GrantFixtures.authenticated(GrantFixtures.passwordClient().build()), username, password, scopes);
    }

    private static PasswordGrantAuthenticationToken grant(Authentication client, String username, String password,
            Set<String> scopes) {
        return new PasswordGrantAuthenticationToken(username, password, client, scopes, Map.of());
    }

    private void assertError(PasswordGrantAuthenticationToken request, String errorCode, String description) {
        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> provider.authenticate(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(errorCode);
                    if (description != null) {
                        assertThat(e.getError().getDescription()).isEqualTo(description);
                    }
                });
    }
}
