package dev.ostiary.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class SecondFactorPolicyTest {

    private final SecondFactorPolicy policy = new SecondFactorPolicy(StepUpFixtures.scopes(), new StepUpProperties(true));
    private final RegisteredClient client = TestRegisteredClients.registeredClient().build();

    @Test
    void requiredRankWhenOrdinaryScopesThenOneFactor() {
        assertThat(policy.requiredRank(client, Set.of("read"))).isEqualTo(1);
    }

    @Test
    void requiredRankWhenScopeRequiresSecondFactorThenTwo() {
        assertThat(policy.requiredRank(client, Set.of("read", "admin"))).isEqualTo(2);
    }

    @Test
    void requiredRankWhenClientRequiresSecondFactorThenTwoForAnyScope() {
        RegisteredClient strict = TestRegisteredClients.registeredClient()
                .clientSettings(ClientSettings.builder().setting("ostiary.client.require-second-factor", true).build())
                .build();

        assertThat(policy.requiredRank(strict, Set.of())).isEqualTo(2);
    }

    @Test
    void requiredRankWhenOstiaryAdminThenTwoThoughTheCatalogDoesNotSaySo() {
        assertThat(policy.requiredRank(client, Set.of("ostiary:admin"))).isEqualTo(2);
    }

    @Test
    void requiredRankWhenOstiaryAdminAndTheRuleIsOffThenOne() {
        SecondFactorPolicy off = new SecondFactorPolicy(StepUpFixtures.scopes(), new StepUpProperties(false));

        assertThat(off.requiredRank(client, Set.of("ostiary:admin"))).isEqualTo(1);
        assertThat(off.requiredRank(client, Set.of("admin"))).isEqualTo(2);
    }

    @Test
    void requiredRankWhenScopeUnknownThenOne() {
        assertThat(policy.requiredRank(client, Set.of("nope"))).isEqualTo(1);
    }
}
