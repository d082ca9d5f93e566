package dev.ostiary.grant.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeActor;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.client.TokenExchangePolicy;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;

@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class TokenExchangeAuthenticationProviderTest {

    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final Instant NOW = GrantFixtures.CLOCK.instant();

    private final RegisteredClient webApp = GrantFixtures.passwordClient().id("id-web").clientId("web-app").build();
    private final RegisteredClient stranger = GrantFixtures.passwordClient().id("id-other").clientId("other-app")
            .clientSecret("{noop}other-secret").build();
    private RegisteredClient gateway = gateway(new TokenExchangePolicy(List.of("web-app", "gateway"),
            List.of("demo-api", "other-api"), true));
    private final InMemoryOAuth2AuthorizationService authorizations = new InMemoryOAuth2AuthorizationService();
    private final List<AuditEvent> events = new ArrayList<>();
    private Clock clock = GrantFixtures.CLOCK;

    private static RegisteredClient gateway(TokenExchangePolicy policy) {
        return RegisteredClient.withId("id-gateway").clientId("gateway").clientSecret("{noop}gateway-secret")
                .clientAuthenticationMethod(org.springframework.security.oauth2.core.ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("read").scope("write")
                .clientSettings(ClientSettings.builder().setting("ostiary.client.token-exchange", policy).build())
                .build();
    }

    private TokenExchangeAuthenticationProvider provider() {
        return new TokenExchangeAuthenticationProvider(authorizations,
                new InMemoryRegisteredClientRepository(webApp, stranger, gateway), GrantFixtures.scopes(),
                GrantFixtures.tokenGenerator(), event -> events.add((AuditEvent) event), clock);
    }

    /** A user's access token issued to {@code client}, stored as a row would hold it. */
    private String userToken(RegisteredClient client, Authentication principal, Set<String> scopes, Duration lifetime,
            Map<String, Object> extraClaims) {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", principal.getName(), "iss", GrantFixtures.ISSUER,
                "client_id", client.getClientId(), "jti", "row-" + events.size() + "-" + authorizationsSaved++));
        claims.putAll(extraClaims);
        String value = new PlainJWT(new JWTClaimsSet.Builder().subject(principal.getName())
                .jwtID((String) claims.get("jti")).build()).serialize();
        OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, NOW,
                NOW.plus(lifetime), scopes);
        authorizations.save(OAuth2Authorization.withRegisteredClient(client).principalName(principal.getName())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).authorizedScopes(scopes)
                .attribute(Principal.class.getName(), principal)
                .token(token, m -> m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims)).build());
        return value;
    }

    private int authorizationsSaved;

    private String aliceToken(Set<String> scopes) {
        return userToken(webApp, GrantFixtures.user("alice", "WRITER"), scopes, Duration.ofMinutes(5), Map.of());
    }

    private String gatewaysOwnToken() {
        return userToken(gateway, GrantFixtures.user("gateway"), Set.of("read"), Duration.ofMinutes(10), Map.of());
    }

    private OAuth2TokenExchangeAuthenticationToken request(String subject, String actor, Set<String> audiences,
            Set<String> scopes) {
        return new OAuth2TokenExchangeAuthenticationToken(ACCESS_TOKEN, subject, ACCESS_TOKEN,
                GrantFixtures.authenticated(gateway), actor, actor == null ? null : ACCESS_TOKEN, Set.of(), audiences,
                scopes, Map.of());
    }

    private OAuth2AccessTokenAuthenticationToken exchange(OAuth2TokenExchangeAuthenticationToken request) {
        return (OAuth2AccessTokenAuthenticationToken) provider().authenticate(request);
    }

    private void assertRefused(OAuth2TokenExchangeAuthenticationToken request, String code, String description) {
        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> provider().authenticate(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(code);
                    assertThat(e.getError().getDescription()).isEqualTo(description);
                });
        assertThat(events).last().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.TOKEN_EXCHANGE_REFUSED);
            assertThat(event.clientId()).isEqualTo("gateway");
            assertThat(event.details()).containsEntry("error", code);
            assertThat(event.occurredAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void whenImpersonatingThenTheSubjectsScopesTheClientHasForTheAudienceAndNoLongerThanTheSubjectToken() {
        String subject = userToken(webApp, GrantFixtures.user("alice", "WRITER"), Set.of("openid", "read", "write"),
                Duration.ofMinutes(2), Map.of());

        OAuth2AccessTokenAuthenticationToken issued = exchange(request(subject, null, Set.of("demo-api"), null));

        // openid is not the gateway's; the client's five-minute lifetime ends with the subject's two minutes
        assertThat(issued.getAccessToken().getScopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(issued.getAccessToken().getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)).minusSeconds(1));
        assertThat(issued.getRefreshToken()).isNull();
        assertThat(issued.getAdditionalParameters()).containsEntry("issued_token_type", ACCESS_TOKEN);
        OAuth2Authorization saved = authorizations.findByToken(issued.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN);
        assertThat(saved.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.TOKEN_EXCHANGE);
        assertThat(saved.getRegisteredClientId()).isEqualTo("id-gateway");
        assertThat(saved.<Authentication>getAttribute(Principal.class.getName()).getName()).isEqualTo("alice");
        assertThat(events).isEmpty();
    }

    @Test
    void whenDelegatingADelegatedSubjectTokenThenTheActorComesFirstAndTheEarlierActorsFollow() {
        OAuth2TokenExchangeCompositeAuthenticationToken earlier = new OAuth2TokenExchangeCompositeAuthenticationToken(
                GrantFixtures.user("alice"), List.of(new OAuth2TokenExchangeActor(Map.of("iss", GrantFixtures.ISSUER,
                        "sub", "first-service"))));
        String subject = userToken(webApp, earlier, Set.of("read"), Duration.ofMinutes(5), Map.of());

        OAuth2AccessTokenAuthenticationToken issued = exchange(request(subject, gatewaysOwnToken(), Set.of(), null));

        Authentication principal = authorizations.findByToken(issued.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN).getAttribute(Principal.class.getName());
        assertThat(principal).isInstanceOfSatisfying(OAuth2TokenExchangeCompositeAuthenticationToken.class, composite -> {
            assertThat(composite.getSubject().getName()).isEqualTo("alice");
            assertThat(composite.getActors()).extracting(OAuth2TokenExchangeActor::getSubject)
                    .containsExactly("gateway", "first-service");
            assertThat(composite.getActors().get(0).getClaims()).isEqualTo(Map.of("iss", GrantFixtures.ISSUER,
                    "sub", "gateway"));
        });
        // no audience asked for: the scopes' own (read is demo-api's), which the policy allows
        assertThat(issued.getAccessToken().getScopes()).containsExactly("read");
    }

    @Test
    void whenTheClientLacksTheGrantThenUnauthorizedClient() {
        gateway = RegisteredClient.from(gateway).authorizationGrantTypes(types -> types
                .remove(AuthorizationGrantType.TOKEN_EXCHANGE)).build();

        assertRefused(request(aliceToken(Set.of("read")), null, Set.of("demo-api"), null),
                OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client is not allowed the token-exchange grant");
    }

    @Test
    void whenTheSubjectTokenIsUnknownThenInvalidGrant() {
        assertRefused(request("not-a-token", null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "The subject token is not an access token of this server");
    }

    @Test
    void whenTheSubjectTokenHasExpiredThenInvalidGrant() {
        String subject = aliceToken(Set.of("read"));
        clock = Clock.fixed(NOW.plus(Duration.ofMinutes(5)), ZoneOffset.UTC);

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "The subject token is expired or revoked");
    }

    @Test
    void whenTheSubjectTokenWasRevokedThenInvalidGrant() {
        String subject = aliceToken(Set.of("read"));
        OAuth2Authorization stored = authorizations.findByToken(subject, OAuth2TokenType.ACCESS_TOKEN);
        authorizations.save(OAuth2Authorization.from(stored).token(stored.getAccessToken().getToken(),
                m -> m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, true)).build());

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "The subject token is expired or revoked");
    }

    @Test
    void whenTheSubjectTokenIsStatelessThenInvalidGrant() {
        String subject = userToken(webApp, GrantFixtures.user("alice"), Set.of("read"), Duration.ofMinutes(5),
                Map.of("jti", "st_abc.client_credentials"));

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "A client_credentials or implicit access token cannot be exchanged: the subject token must come"
                        + " from a user's grant (code, password, refresh, exchange)");
    }

    @Test
    void whenTheSubjectTokenWasIssuedToAClientOutsideThePolicyThenInvalidGrant() {
        String subject = userToken(stranger, GrantFixtures.user("alice"), Set.of("read"), Duration.ofMinutes(5),
                Map.of());

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "This client may not exchange tokens issued to other-app");
    }

    @Test
    void whenAScopeBeyondTheSubjectTokenIsAskedForThenInvalidScope() {
        assertRefused(request(aliceToken(Set.of("read")), null, Set.of("demo-api"), Set.of("read", "write")),
                OAuth2ErrorCodes.INVALID_SCOPE, "Not within the subject token's and the client's scopes: write");
    }

    @Test
    void whenTheUsersRolesNoLongerAllowAScopeThenItIsLeftOut() {
        String subject = userToken(webApp, GrantFixtures.user("bob"), Set.of("read", "write"), Duration.ofMinutes(5),
                Map.of());

        OAuth2AccessTokenAuthenticationToken issued = exchange(request(subject, null, Set.of("demo-api"), null));

        // write needs WRITER, which bob does not have
        assertThat(issued.getAccessToken().getScopes()).containsExactly("read");
    }

    @Test
    void whenAnAudienceOutsideThePolicyIsAskedForThenInvalidTarget() {
        assertRefused(request(aliceToken(Set.of("read")), null, Set.of("demo-api", "evil-api"), null),
                ExchangePolicy.INVALID_TARGET, "This client may not ask for the audience evil-api");
    }

    @Test
    void whenAResourceIsGivenThenInvalidTarget() {
        OAuth2TokenExchangeAuthenticationToken withResource = new OAuth2TokenExchangeAuthenticationToken(ACCESS_TOKEN,
                aliceToken(Set.of("read")), ACCESS_TOKEN, GrantFixtures.authenticated(gateway), null, null,
                Set.of("https://api.example"), Set.of(), null, Map.of());

        assertRefused(withResource, ExchangePolicy.INVALID_TARGET,
                "resource is not supported by token exchange here: name the target with audience");
    }

    /** Attacker trial: impersonating a delegated token gave a plain user token, its act chain gone. */
    @Test
    void whenImpersonatingADelegatedSubjectTokenThenInvalidRequest() {
        OAuth2TokenExchangeCompositeAuthenticationToken earlier = new OAuth2TokenExchangeCompositeAuthenticationToken(
                GrantFixtures.user("alice"), List.of(new OAuth2TokenExchangeActor(Map.of("iss", GrantFixtures.ISSUER,
                        "sub", "first-service"))));
        String subject = userToken(webApp, earlier, Set.of("read"), Duration.ofMinutes(5), Map.of());

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_REQUEST,
                "The subject token was delegated (it has act): send this client's own access token as actor_token");
    }

    @Test
    void whenDelegationOnlyAndNoActorTokenThenInvalidRequest() {
        gateway = gateway(new TokenExchangePolicy(List.of("web-app"), List.of("demo-api"), false));

        assertRefused(request(aliceToken(Set.of("read")), null, Set.of("demo-api"), null),
                OAuth2ErrorCodes.INVALID_REQUEST, "This client may only delegate: send its own access token as actor_token");
    }

    @Test
    void whenTheActorTokenIsAnotherClientsThenInvalidGrant() {
        String someoneElses = aliceToken(Set.of("read"));

        assertRefused(request(aliceToken(Set.of("read")), someoneElses, Set.of("demo-api"), null),
                OAuth2ErrorCodes.INVALID_GRANT, "The actor token must be an access token issued to this client");
    }

    @Test
    void whenTheActorTokenExpiresFirstThenTheResultEndsWithIt() {
        String subject = aliceToken(Set.of("read"));
        String actor = userToken(gateway, GrantFixtures.user("gateway"), Set.of("read"), Duration.ofMinutes(1), Map.of());

        OAuth2AccessTokenAuthenticationToken issued = exchange(request(subject, actor, Set.of("demo-api"), null));

        assertThat(issued.getAccessToken().getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)).minusSeconds(1));
    }

    @Test
    void whenTheSubjectTokenIsDPoPBoundAndTheRequestHasNoProofThenInvalidGrant() {
        String subject = userToken(webApp, GrantFixtures.user("alice"), Set.of("read"), Duration.ofMinutes(5),
                Map.of("cnf", Map.of("jkt", "thumbprint-of-the-holders-key")));

        assertRefused(request(subject, null, Set.of("demo-api"), null), OAuth2ErrorCodes.INVALID_GRANT,
                "The subject token is DPoP-bound: send a DPoP proof of its key");
    }
}
