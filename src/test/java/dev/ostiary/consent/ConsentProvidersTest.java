package dev.ostiary.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.support.TestRegisteredClients;

/** The authorization endpoint's providers: only Spring's consent provider is put behind our answers. */
@Tag("unit")
class ConsentProvidersTest {

    private final RegisteredClientRepository clients =
            new InMemoryRegisteredClientRepository(TestRegisteredClients.registeredClient().build());
    private final OAuth2AuthorizationService authorizations = new InMemoryOAuth2AuthorizationService();
    private final InMemoryOAuth2AuthorizationConsentService consents = new InMemoryOAuth2AuthorizationConsentService();

    @Test
    void whenAppliedThenTheConsentProviderIsAnsweredByConsentAnswersAndTheOthersStay() {
        AuthenticationProvider codeRequests =
                new OAuth2AuthorizationCodeRequestAuthenticationProvider(clients, authorizations, consents);
        List<AuthenticationProvider> providers = new ArrayList<>(List.of(codeRequests,
                new OAuth2AuthorizationConsentAuthenticationProvider(clients, authorizations, consents)));

        new ConsentProviders(clients, authorizations, List.of(), event -> { }).accept(providers);

        assertThat(providers).hasSize(2);
        assertThat(providers.get(0)).isSameAs(codeRequests);
        assertThat(providers.get(1)).isInstanceOf(ConsentAnswers.class);
    }
}
