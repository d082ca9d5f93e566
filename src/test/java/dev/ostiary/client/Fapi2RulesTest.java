package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.ostiary.problem.FieldProblem;
import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class Fapi2RulesTest {

    private static final Map<String, Object> JWKS = Map.of("keys", List.of(Map.of("kty", "EC", "crv", "P-256",
            "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")));

    private static ClientRequest.Builder compliant() {
        return ClientRequest.builder().clientName("FAPI app").fapi2(true)
                .grantTypes(Set.of("authorization_code", "refresh_token")).authMethods(Set.of("private_key_jwt"))
                .redirectUris(List.of("https://fapi.example/callback")).scopes(Set.of("read")).jwks(JWKS)
                .requirePushedAuthorizationRequests(true).requireDpop(true).authCodeTtlSeconds(60);
    }

    private static List<String> fields(ClientRequest request) {
        return Fapi2Rules.check(request).stream().map(FieldProblem::field).toList();
    }

    @Test
    void whenCompliantThenNoProblemAndClientRulesAgree() {
        assertThat(Fapi2Rules.check(compliant().build())).isEmpty();
        assertThat(ClientRules.check(compliant().build(), GrantFixtures.scopes(), GrantFixtures.grants())).isEmpty();
    }

    @Test
    void whenFlagOffThenNothingIsRequired() {
        assertThat(Fapi2Rules.check(compliant().fapi2(false).requireDpop(false).authMethods(null).build())).isEmpty();
    }

    @Test
    void whenEveryRuleBrokenThenOneProblemPerRuleWithItsField() {
        ClientRequest request = compliant().grantTypes(Set.of("authorization_code", "implicit", "password"))
                .authMethods(Set.of("client_secret_basic", "private_key_jwt")).jwks(null)
                .requirePushedAuthorizationRequests(false).requirePkce(false).requireDpop(false)
                .authCodeTtlSeconds(120).build();

        assertThat(fields(request)).containsExactlyInAnyOrder("grantTypes", "grantTypes", "authMethods", "jwks",
                "requirePushedAuthorizationRequests", "requirePkce", "requireDpop", "authCodeTtlSeconds");
    }

    @Test
    void whenSecretOrPublicThenAuthMethodsRefused() {
        for (String method : List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "none")) {
            assertThat(fields(compliant().authMethods(Set.of(method)).build())).as(method).containsExactly("authMethods");
        }
        assertThat(fields(compliant().authMethods(null).build())).containsExactly("authMethods");
    }

    @Test
    void whenRowLoosensTheProfileThenTheEndpointsStillSeeIt() {
        RegisteredClient loose = RegisteredClient.withId("1").clientId("fapi")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(new AuthorizationGrantType("implicit"))
                .authorizationGrantType(new AuthorizationGrantType("password"))
                .redirectUri("https://fapi.example/callback")
                .tokenSettings(TokenSettings.builder().authorizationCodeTimeToLive(Duration.ofMinutes(5)).build())
                .build();

        RegisteredClient seen = Fapi2Rules.atRequestTime(loose, true);

        assertThat(seen.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(seen.getAuthorizationGrantTypes()).containsExactly(AuthorizationGrantType.AUTHORIZATION_CODE);
        assertThat(seen.getTokenSettings().getAuthorizationCodeTimeToLive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(seen.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(OstiaryClientSettings.requireDpop(seen)).isTrue();
        assertThat(OstiaryClientSettings.requirePushedAuthorizationRequests(seen)).isTrue();
        assertThat(Fapi2Rules.atRequestTime(loose, false)).isSameAs(loose);
    }
}
