package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;

import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.support.TestRegisteredClients;

/** Our client rows as Spring Authorization Server sees them, and back. */
@Tag("unit")
class RegisteredClientsTest {

    @Test
    void whenConfidentialClientThenItsSettingsCarryOver() {
        Client client = TestRegisteredClients.client().setRequirePkce(false).setAccessTokenTtlSeconds(600)
                .setServiceRoles(Set.of("REPORTS")).setIntrospectionAllowed(true);
        RegisteredClient registered = RegisteredClients.from(client);

        assertThat(registered.getClientId()).isEqualTo("client-1");
        assertThat(registered.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        assertThat(registered.getAuthorizationGrantTypes()).containsExactlyInAnyOrder(
                AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.REFRESH_TOKEN);
        assertThat(registered.getRedirectUris()).containsExactly(TestRegisteredClients.REDIRECT_URI);
        assertThat(registered.getClientSettings().isRequireProofKey()).isFalse();
        assertThat(registered.getClientSettings().isRequireAuthorizationConsent()).isTrue();
        assertThat((Set<String>) registered.getClientSettings().getSetting(OstiaryClientSettings.SERVICE_ROLES))
                .containsExactly("REPORTS");
        assertThat((Boolean) registered.getClientSettings().getSetting(OstiaryClientSettings.INTROSPECTION_ALLOWED))
                .isTrue();
        assertThat(registered.getTokenSettings().getAccessTokenFormat()).isEqualTo(OAuth2TokenFormat.SELF_CONTAINED);
        assertThat(registered.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofSeconds(600));
        assertThat(registered.getTokenSettings().isReuseRefreshTokens()).isFalse();
        assertThat((SigningAlgorithm) registered.getTokenSettings().getSetting(OstiaryClientSettings.ACCESS_TOKEN_ALGORITHM))
                .isEqualTo(SigningAlgorithm.RS256);
    }

    @Test
    void whenPublicClientThenPkceIsRequiredWhateverItsRowSays() {
        // RFC 9700 §2.1.1: PKCE is what binds a public client's code to it
        Client client = TestRegisteredClients.client().setAuthMethods(Set.of("none")).setRequirePkce(false);
        assertThat(RegisteredClients.from(client).getClientSettings().isRequireProofKey()).isTrue();
    }

    @Test
    void whenRegisteredByAUserThenThirdParty() {
        Client client = TestRegisteredClients.client().setRegisteredBy(RegisteredBy.USER);
        assertThat((Boolean) RegisteredClients.from(client).getClientSettings().getSetting(OstiaryClientSettings.THIRD_PARTY))
                .isTrue();
        assertThat((Boolean) RegisteredClients.from(TestRegisteredClients.client()).getClientSettings()
                .getSetting(OstiaryClientSettings.THIRD_PARTY)).isFalse();
    }

    @Test
    void whenCopiedBackThenWhatSpringMayChangeIsOnTheRow() {
        Client client = TestRegisteredClients.client();
        RegisteredClient changed = RegisteredClient.from(RegisteredClients.from(client)).clientName("Renamed")
                .redirectUris(uris -> uris.add("https://client.example.com/other"))
                .scopes(scopes -> scopes.remove("write")).build();
        RegisteredClients.copyInto(changed, client);
        assertThat(client.getClientName()).isEqualTo("Renamed");
        assertThat(client.getRedirectUris()).containsExactlyInAnyOrder(TestRegisteredClients.REDIRECT_URI,
                "https://client.example.com/other");
        assertThat(client.getScopes()).isEqualTo(List.of("read"));
    }
}
