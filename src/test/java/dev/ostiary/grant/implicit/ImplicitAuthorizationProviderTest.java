package dev.ostiary.grant.implicit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;

@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class ImplicitAuthorizationProviderTest {

    private final RegisteredClient spa = GrantFixtures.implicitClient().build();
    private final RegisteredClient codeOnly = RegisteredClient.withId("id-web").clientId("web")
            .clientAuthenticationMethod(org.springframework.security.oauth2.core.ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri(GrantFixtures.REDIRECT_URI)
            .scope("read").build();
    private final InMemoryOAuth2AuthorizationService authorizations = new InMemoryOAuth2AuthorizationService();
    private final InMemoryOAuth2AuthorizationConsentService consents = new InMemoryOAuth2AuthorizationConsentService();
    private final ImplicitAuthorizationProvider provider = new ImplicitAuthorizationProvider(
            new InMemoryRegisteredClientRepository(spa, codeOnly), authorizations, consents,
            new ResourceOwnerScopes(GrantFixtures.scopes()), GrantFixtures.tokenGenerator());

    @Test
    void authenticateWhenClientNotAllowedImplicitThenUnauthorizedClientSentToTheRedirectUri() {
        assertThatExceptionOfType(ImplicitAuthorizationException.class)
                .isThrownBy(() -> provider.authenticate(request("web", GrantFixtures.user("alice"), Set.of("read"))))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
                    assertThat(e.getRedirectUri()).isEqualTo(GrantFixtures.REDIRECT_URI);
                    assertThat(e.getState()).isEqualTo("xyz");
                });
    }

    @Test
    void authenticateWhenScopeNotRegisteredThenInvalidScope() {
        assertError(request("spa", GrantFixtures.user("alice"), Set.of("read", "admin")),
                OAuth2ErrorCodes.INVALID_SCOPE, "OAuth 2.0 Parameter: scope");
    }

    @Test
    void authenticateWhenUserNotSignedInThenInvalidRequest() {
        Authentication anonymous = new AnonymousAuthenticationToken("anonymous", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

        assertError(request("spa", anonymous, Set.of("read")), OAuth2ErrorCodes.INVALID_REQUEST,
                "The user is not signed in");
    }

    @Test
    void authenticateWhenRolesAllowNoneOfTheScopesThenInvalidScope() {
        assertError(request("spa", GrantFixtures.user("bob"), Set.of("write")), OAuth2ErrorCodes.INVALID_SCOPE,
                "The user's roles allow none of the requested scopes");
    }

    @Test
    void authenticateWhenConsentNeededThenConsentPageWithTheInFlightAuthorizationSaved() {
        ImplicitConsentRequiredToken consent = (ImplicitConsentRequiredToken) provider.authenticate(
                request("spa", GrantFixtures.user("alice", "WRITER"), Set.of("read", "write")));

        assertThat(consent.getClientId()).isEqualTo("spa");
        assertThat(consent.getScopes()).containsExactlyInAnyOrder("read", "write");
        OAuth2Authorization inFlight = authorizations.findByToken(consent.getState(), new OAuth2TokenType("state"));
        assertThat(inFlight.getAuthorizationGrantType()).isEqualTo(OstiaryGrantTypes.IMPLICIT);
        assertThat(inFlight.getPrincipalName()).isEqualTo("alice");
    }

    @Test
    void authenticateWhenConsentRememberedThenShortLivedTokenAndNoRow() {
        consents.save(OAuth2AuthorizationConsent.withId(spa.getId(), "alice").scope("read").build());

        ImplicitAccessTokenAuthenticationToken issued = (ImplicitAccessTokenAuthenticationToken) provider.authenticate(
                request("spa", GrantFixtures.user("alice"), Set.of("read")));

        assertThat(issued.getClientId()).isEqualTo("spa");
        assertThat(issued.getRedirectUri()).isEqualTo(GrantFixtures.REDIRECT_URI);
        assertThat(issued.getState()).isEqualTo("xyz");
        assertThat(issued.getAccessToken().getScopes()).containsExactly("read");
        // the client's implicit lifetime (5 minutes by default), not its usual access token lifetime
        assertThat(Duration.between(issued.getAccessToken().getIssuedAt(), issued.getAccessToken().getExpiresAt()))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(authorizations.findByToken(issued.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN))
                .isNull();
    }

    private static ImplicitAuthorizationRequestToken request(String clientId, Authentication user, Set<String> scopes) {
        return new ImplicitAuthorizationRequestToken("https://ostiary.example/oauth2/authorize", clientId, user,
                GrantFixtures.REDIRECT_URI, "xyz", scopes, Map.of());
    }

    private void assertError(ImplicitAuthorizationRequestToken request, String errorCode, String description) {
        assertThatExceptionOfType(ImplicitAuthorizationException.class).isThrownBy(() -> provider.authenticate(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(errorCode);
                    assertThat(e.getError().getDescription()).isEqualTo(description);
                    assertThat(e.getRedirectUri()).isEqualTo(GrantFixtures.REDIRECT_URI);
                });
    }
}
