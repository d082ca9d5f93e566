package dev.ostiary.introspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.support.TestClocks;
import dev.ostiary.support.TestRegisteredClients;
import dev.ostiary.support.TestScopes;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;

/**
 * Whose standing introspection re-checks for a token without an authorization row: the grant in
 * the token's jti decides whether a client acted for itself, not a subject equal to the client id.
 */
@Tag("unit")
class IntrospectionHoldersTest {

    private static final String CLIENT_ID = "service-1";

    private final Accounts accounts = mock(Accounts.class);
    private final IntrospectionPolicy.Holders holders = new IntrospectionPolicy.Holders(
            new InMemoryRegisteredClientRepository(TestRegisteredClients.serviceClient().clientId(CLIENT_ID).build()),
            new ServiceRoles(accounts), accounts, TestScopes.catalog());

    private static OAuth2TokenIntrospection token(String jti, String subject) {
        return OAuth2TokenIntrospection.builder(true).id(jti).subject(subject).clientId(CLIENT_ID)
                .scope("read").issuedAt(TestClocks.NOW).build();
    }

    private static Account active(String username) {
        return new Account(username, true, false, Set.of("USER"), TestClocks.NOW.minusSeconds(3600));
    }

    @Test
    void whenJtiNamesClientCredentialsThenTheClientIsCheckedNotAnAccount() {
        String jti = StatelessAccessTokens.newJti(AuthorizationGrantType.CLIENT_CREDENTIALS);

        assertThat(holders.stillActive(token(jti, CLIENT_ID))).isTrue();
        verifyNoInteractions(accounts);
    }

    @Test
    void whenJtiNamesImplicitAndTheUserBearsTheClientsNameThenTheAccountIsChecked() {
        // sub == client_id would have been taken for the client acting for itself
        String jti = StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT);
        when(accounts.find(CLIENT_ID)).thenReturn(Optional.empty());

        assertThat(holders.stillActive(token(jti, CLIENT_ID))).isFalse();
    }

    @Test
    void whenJtiNamesImplicitAndTheUserIsActiveThenActive() {
        when(accounts.find("alice")).thenReturn(Optional.of(active("alice")));

        assertThat(holders.stillActive(token(StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT), "alice")))
                .isTrue();
    }

    @Test
    void whenTokenPredatesTheGrantInTheJtiThenAClientActingForItselfIsStillGuessedFromTheSubject() {
        assertThat(holders.stillActive(token("st_AAAAAAAAAAAAAAAAAAAAAA", CLIENT_ID))).isTrue();
        verifyNoInteractions(accounts);

        when(accounts.find("alice")).thenReturn(Optional.empty());
        assertThat(holders.stillActive(token("st_AAAAAAAAAAAAAAAAAAAAAA", "alice"))).isFalse();
    }

    @Test
    void whenTokenHasARowThenItsRowDecidesAndNothingIsRechecked() {
        assertThat(holders.stillActive(token("a1b2c3", CLIENT_ID))).isTrue();
        verifyNoInteractions(accounts);
    }
}
