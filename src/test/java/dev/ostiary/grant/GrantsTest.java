package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.ostiary.grant.clientcredentials.ClientCredentialsGrant;
import dev.ostiary.grant.tokenexchange.TokenExchangeGrant;
import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class GrantsTest {

    private final Grants grants = GrantFixtures.grants();

    @Test
    void whenTwoRegistrationsShareANameThenTheRegistryRefusesThem() {
        GrantRegistration once = GrantRegistration.grant(OstiaryGrantTypes.PASSWORD).build();
        GrantRegistration twice = GrantRegistration.grant(new AuthorizationGrantType("password")).build();

        assertThatIllegalStateException().isThrownBy(() -> Grants.of(once, twice))
                .withMessage("Grant password is registered twice");
    }

    @Test
    void whenListedThenEveryGrantOnceInRegistrationOrder() {
        assertThat(grants.names()).containsExactly("authorization_code", "client_credentials", "refresh_token",
                "password", "implicit");
    }

    @Test
    void whenSelfServiceThenLegacyGrantsOnlyWithAnAdministratorsPermission() {
        SelfServiceGrants selfService = grants.selfService();

        assertThat(selfService.offered(false)).containsExactly("authorization_code", "client_credentials",
                "refresh_token");
        assertThat(selfService.offered(true)).containsExactly("authorization_code", "client_credentials",
                "refresh_token", "password", "implicit");
        assertThat(selfService.notAllowed(List.of("implicit", "authorization_code", "password"), false))
                .containsExactly("implicit", "password");
        assertThat(selfService.notAllowed(List.of("implicit"), true)).isEmpty();
    }

    @Test
    void whenSelfServiceClientChoosesTheCodeFlowThenRefreshTokensComeAlong() {
        assertThat(grants.selfService().withCompanions(List.of("authorization_code")))
                .containsExactly("authorization_code", "refresh_token");
        assertThat(grants.selfService().withCompanions(List.of("client_credentials")))
                .containsExactly("client_credentials");
    }

    @Test
    void whenDynamicRegistrationThenNoLegacyGrantAndCodeWithItsResponseType() {
        assertThat(grants.dynamicallyRegistrable()).containsExactly("authorization_code", "client_credentials",
                "refresh_token");
        assertThat(grants.registrableResponseTypes(Set.of("authorization_code", "refresh_token")))
                .containsExactly("code");
        assertThat(grants.registrableResponseTypes(Set.of("client_credentials", "implicit"))).isEmpty();
    }

    @Test
    void whenDiscoveryThenOnlyTheGrantsSpringDoesNotListAreAdded() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("grant_types_supported", new ArrayList<>(List.of("authorization_code", "client_credentials",
                "refresh_token")));
        claims.put("response_types_supported", List.of("code"));

        grants.advertise(claims);

        assertThat(claims.get("grant_types_supported")).isEqualTo(List.of("authorization_code", "client_credentials",
                "refresh_token", "password", "implicit"));
        assertThat(claims.get("response_types_supported")).isEqualTo(List.of("code", "token"));
    }

    @Test
    void whenSpringListsAGrantNothingRegistersThenDiscoveryDropsIt() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("grant_types_supported", new ArrayList<>(List.of("authorization_code", "client_credentials",
                "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange")));

        grants.advertise(claims);

        assertThat(claims.get("grant_types_supported")).isEqualTo(List.of("authorization_code", "client_credentials",
                "refresh_token", "password", "implicit"));
        Grants withExchange = Grants.of(ClientCredentialsGrant.declaration().build(),
                TokenExchangeGrant.declaration().build());
        claims.put("grant_types_supported", new ArrayList<>(List.of("client_credentials",
                "urn:ietf:params:oauth:grant-type:token-exchange")));
        withExchange.advertise(claims);
        assertThat(claims.get("grant_types_supported")).isEqualTo(List.of("client_credentials",
                "urn:ietf:params:oauth:grant-type:token-exchange"));
    }

    @Test
    void whenTokensIssuedThenStatelessnessRolesAndAuditComeFromTheRegistration() {
        assertThat(grants.statelessAccessTokens(AuthorizationGrantType.CLIENT_CREDENTIALS)).isTrue();
        assertThat(grants.statelessAccessTokens(OstiaryGrantTypes.IMPLICIT)).isTrue();
        assertThat(grants.statelessAccessTokens(OstiaryGrantTypes.PASSWORD)).isFalse();
        assertThat(grants.statelessAccessTokens(new AuthorizationGrantType("urn:example:unregistered"))).isFalse();
        assertThat(grants.tokenRoles(OstiaryGrantTypes.PASSWORD)).isEqualTo(TokenRoles.USER_AUTHENTICATED_BY_THE_GRANT);
        assertThat(grants.tokenRoles(AuthorizationGrantType.REFRESH_TOKEN)).isEqualTo(TokenRoles.ACCOUNT_AS_IT_IS_NOW);
        assertThat(grants.issuanceAudit("client_credentials")).isEqualTo(IssuanceAudit.SUMMED_PER_MINUTE);
        assertThat(grants.issuanceAudit("implicit")).isEqualTo(IssuanceAudit.EACH_TOKEN);
    }

    @Test
    void whenClientRulesAskThenEachRequirementNamesItsGrantsInOrder() {
        assertThat(grants.requiring(ClientRequirement.CONFIDENTIAL_CLIENT)).containsExactly("client_credentials",
                "password");
        assertThat(grants.requiring(ClientRequirement.REDIRECT_URI)).containsExactly("authorization_code", "implicit");
        assertThat(grants.requiring(ClientRequirement.ANOTHER_GRANT)).containsExactly("refresh_token");
    }
}
