package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.support.TestRegisteredClients;

/**
 * Redirect URI matching at the authorization endpoint: exact for confidential clients, Spring's RFC
 * 8252 §7.3 loopback port freedom for public clients only.
 */
@Tag("unit")
class RedirectUriMatchingTest {

    private static OAuth2AuthorizationCodeRequestAuthenticationContext context(RegisteredClient client,
            String redirectUri) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                "https://as.example.com/oauth2/authorize", client.getClientId(),
                new TestingAuthenticationToken("alice", null), redirectUri, "state-1", Set.of("read"), Map.of());
        return OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client).build();
    }

    @Test
    void whenConfidentialClientSendsARegisteredUriThenAccepted() {
        RegisteredClient client = TestRegisteredClients.registeredClient().build();
        assertThatNoException().isThrownBy(() -> RedirectUriMatching.validator()
                .accept(context(client, TestRegisteredClients.REDIRECT_URI)));
    }

    @Test
    void whenConfidentialClientSendsLoopbackUriWithAnotherPortThenInvalidRequestWithoutRedirect() {
        RegisteredClient client = TestRegisteredClients.registeredClient().build();
        assertThatThrownBy(() -> RedirectUriMatching.validator().accept(context(client, "http://127.0.0.1:9999/callback")))
                .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class, e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).contains("redirect_uri");
                    // never redirected to: the error carries no redirect URI (RFC 6749 §4.1.2.1)
                    assertThat(e.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isNull();
                    assertThat(e.getAuthorizationCodeRequestAuthentication().getState()).isEqualTo("state-1");
                });
    }

    @Test
    void whenConfidentialClientSendsAnUnregisteredUriThenInvalidRequest() {
        RegisteredClient client = TestRegisteredClients.registeredClient().build();
        for (String uri : new String[] { TestRegisteredClients.REDIRECT_URI + "/extra",
                TestRegisteredClients.REDIRECT_URI.toUpperCase(), TestRegisteredClients.REDIRECT_URI + "?x=1",
                "https://evil.example/callback" }) {
            assertThatThrownBy(() -> RedirectUriMatching.checkRedirectUri(context(client, uri))).as(uri)
                    .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                            e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST));
        }
    }

    @Test
    void whenPublicClientSendsLoopbackUriWithAnotherPortThenAccepted() {
        RegisteredClient client = TestRegisteredClients.publicClient().build();
        assertThatNoException().isThrownBy(() -> RedirectUriMatching.checkRedirectUri(
                context(client, "http://127.0.0.1:51234/callback")));
    }

    @Test
    void whenPublicClientSendsAnotherPathThenInvalidRequest() {
        RegisteredClient client = TestRegisteredClients.publicClient().build();
        assertThatThrownBy(() -> RedirectUriMatching.checkRedirectUri(context(client, "http://127.0.0.1:51234/other")))
                .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST));
    }

    @Test
    void whenNoRedirectUriAndOneRegisteredThenAccepted() {
        RegisteredClient client = TestRegisteredClients.registeredClient().redirectUris(uris -> uris
                .remove(TestRegisteredClients.LOOPBACK_REDIRECT_URI)).build();
        assertThatNoException().isThrownBy(() -> RedirectUriMatching.checkRedirectUri(context(client, null)));
    }

    @Test
    void whenNoRedirectUriAndSeveralRegisteredThenInvalidRequest() {
        RegisteredClient client = TestRegisteredClients.registeredClient().build();
        assertThatThrownBy(() -> RedirectUriMatching.checkRedirectUri(context(client, null)))
                .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST));
    }

    @Test
    void whenRegisteredUriButScopeNotAllowedThenValidatorSaysInvalidScope() {
        RegisteredClient client = TestRegisteredClients.registeredClient().scopes(s -> s.remove("read")).build();
        assertThatThrownBy(() -> RedirectUriMatching.validator().accept(context(client, TestRegisteredClients.REDIRECT_URI)))
                .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_SCOPE));
    }
}
