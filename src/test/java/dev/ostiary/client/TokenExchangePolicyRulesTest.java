package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.grant.Grants;
import dev.ostiary.grant.clientcredentials.ClientCredentialsGrant;
import dev.ostiary.grant.tokenexchange.TokenExchangeGrant;
import dev.ostiary.support.GrantFixtures;

/** The token exchange policy as {@link ClientRules} checks it on save (admin API, every way of saving). */
@Tag("unit")
class TokenExchangePolicyRulesTest {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private final Grants grants = Grants.of(ClientCredentialsGrant.declaration().build(),
            TokenExchangeGrant.declaration().build());

    private List<String> problems(Set<String> grantTypes, Set<String> authMethods, TokenExchangePolicy policy) {
        ClientRequest request = ClientRequest.builder().clientName("Gateway").grantTypes(grantTypes)
                .authMethods(authMethods).scopes(Set.of("read")).tokenExchange(policy).build();
        return ClientRules.check(request, GrantFixtures.scopes(), grants).stream()
                .map(p -> p.field() + ": " + p.message()).toList();
    }

    private List<String> problems(TokenExchangePolicy policy) {
        return problems(Set.of(EXCHANGE), Set.of("client_secret_basic"), policy);
    }

    @Test
    void whenTheGrantHasSubjectClientsAndAudiencesThenNoProblem() {
        assertThat(problems(new TokenExchangePolicy(List.of("web-app"), List.of("demo-api", "https://api.example"),
                true))).isEmpty();
    }

    @Test
    void whenTheGrantHasNoPolicyThenBothListsAreRequired() {
        assertThat(problems((TokenExchangePolicy) null)).containsExactly(
                "tokenExchange.subjectClients: the token-exchange grant needs the clients whose tokens this client may exchange",
                "tokenExchange.audiences: the token-exchange grant needs the audiences this client may ask for");
    }

    @Test
    void whenAPolicyWithoutTheGrantThenProblem() {
        assertThat(problems(Set.of("client_credentials"), Set.of("client_secret_basic"),
                new TokenExchangePolicy(List.of("web-app"), List.of("demo-api"), false))).containsExactly(
                        "tokenExchange: is only for clients with the " + EXCHANGE + " grant");
    }

    @Test
    void whenAPublicClientThenTheGrantIsRefused() {
        assertThat(problems(Set.of(EXCHANGE), Set.of("none"),
                new TokenExchangePolicy(List.of("web-app"), List.of("demo-api"), false)))
                .containsExactly("grantTypes: a public client cannot use client_credentials or " + EXCHANGE);
    }

    @Test
    void whenTheAdminApiIsAnAudienceThenRefused() {
        assertThat(problems(new TokenExchangePolicy(List.of("web-app"), List.of("urn:ostiary:admin-api"), false)))
                .containsExactly("tokenExchange.audiences: urn:ostiary:admin-api (the admin API) cannot be an exchange target");
    }

    @Test
    void whenMalformedEntriesThenEachIsAProblem() {
        assertThat(problems(new TokenExchangePolicy(List.of("web app"), List.of("demo api"), false))).containsExactly(
                "tokenExchange.subjectClients: not a client id: web app",
                "tokenExchange.audiences: an audience is a name or URI without spaces, at most 512 characters");
    }

    @Test
    void whenListsAreTooLongThenProblem() {
        List<String> many = IntStream.range(0, 21).mapToObj(i -> "c" + i).toList();
        assertThat(problems(new TokenExchangePolicy(many, many, false))).containsExactly(
                "tokenExchange.subjectClients: may hold at most 20 entries",
                "tokenExchange.audiences: may hold at most 20 entries");
    }
}
