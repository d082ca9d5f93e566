package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.grant.Grants;
import dev.ostiary.support.GrantFixtures;

/** The grant rules of {@link ClientRules}, as the grants' registrations declare them. */
@Tag("unit")
class ClientRulesGrantsTest {

    private final Grants grants = GrantFixtures.grants();

    @Test
    void whenGrantNotRegisteredThenUnknownGrantType() {
        assertThat(problems(Set.of("urn:ietf:params:oauth:grant-type:device_code"), Set.of("client_secret_basic"),
                List.of())).containsExactly("grantTypes: unknown grant type: urn:ietf:params:oauth:grant-type:device_code");
    }

    @Test
    void whenPublicClientWantsAConfidentialGrantThenRefused() {
        assertThat(problems(Set.of("password"), Set.of("none"), List.of()))
                .containsExactly("grantTypes: a public client cannot use client_credentials or password");
    }

    @Test
    void whenRedirectingGrantWithoutRedirectUriThenRefused() {
        assertThat(problems(Set.of("implicit"), Set.of("none"), List.of()))
                .containsExactly("redirectUris: authorization_code and implicit need a redirect URI");
    }

    @Test
    void whenRefreshTokenIsTheOnlyGrantThenRefused() {
        assertThat(problems(Set.of("refresh_token"), Set.of("client_secret_basic"), List.of()))
                .containsExactly("grantTypes: refresh_token needs a grant that issues refresh tokens");
        assertThat(problems(Set.of("client_credentials", "refresh_token"), Set.of("client_secret_basic"), List.of()))
                .isEmpty();
    }

    @Test
    void whenEveryRegisteredGrantThenAccepted() {
        assertThat(problems(grants.names(), Set.of("client_secret_basic"), List.of("https://app.example/callback")))
                .isEmpty();
    }

    private List<String> problems(Set<String> grantTypes, Set<String> authMethods, List<String> redirectUris) {
        ClientRequest request = new ClientRequest(null, "App", null, grantTypes, authMethods, redirectUris, List.of(),
                Set.of(), null, null, null, null, null, null, null, null, null, null, null, null, null);
        return ClientRules.check(request, GrantFixtures.scopes(), grants).stream()
                .map(problem -> problem.field() + ": " + problem.message()).toList();
    }
}
