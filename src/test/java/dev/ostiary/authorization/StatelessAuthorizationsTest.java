package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.ostiary.grant.OstiaryGrantTypes;

/** The authorization made up for a verified stateless token: its grant comes from the jti, not a guess. */
@Tag("unit")
class StatelessAuthorizationsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Instant NOW = CLOCK.instant();

    private final Set<String> revokedJtis = new HashSet<>();
    private final StatelessAuthorizations stateless = new StatelessAuthorizations(
            new InMemoryRegisteredClientRepository(registeredClient()), revokedTokens(), CLOCK);

    private static RegisteredClient registeredClient() {
        return RegisteredClient.withId("7d1c0f4e-2b8a-4e55-9a61-3c2f5b7e9d10")
                .clientId("spa")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(OstiaryGrantTypes.IMPLICIT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .redirectUri("https://spa.example/callback")
                .scope("read")
                .build();
    }

    /** The in-memory answer only: these tests have no database. */
    private RevokedAccessTokens revokedTokens() {
        return new RevokedAccessTokens(null, CLOCK) {
            @Override
            public boolean isRevoked(String jti) {
                return revokedJtis.contains(jti);
            }

            @Override
            boolean revoke(String jti, String clientId, Instant expiresAt) {
                return revokedJtis.add(jti);
            }
        };
    }

    private static Jwt jwt(String jti, String subject) {
        return Jwt.withTokenValue("header.payload.signature")
                .header("alg", "RS256")
                .jti(jti).subject(subject).claim("client_id", "spa").claim("scope", "read")
                .issuedAt(NOW).expiresAt(NOW.plusSeconds(300))
                .build();
    }

    @Test
    void whenJtiNamesTheGrantThenTheAuthorizationHasThatGrantWhateverTheSubject() {
        // sub == client_id would have been guessed as client_credentials
        OAuth2Authorization authorization = stateless.authorizationOf(
                jwt(StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT), "spa"));

        assertThat(authorization.getAuthorizationGrantType()).isEqualTo(OstiaryGrantTypes.IMPLICIT);
        assertThat(authorization.getAuthorizedScopes()).containsExactly("read");
        assertThat(authorization.getAccessToken().getToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.BEARER);
        assertThat(StatelessAuthorizations.isMadeUp(authorization.getId())).isTrue();
        assertThat(StatelessAuthorizations.isStateless(authorization)).isTrue();
    }

    @Test
    void whenJtiNamesClientCredentialsThenTheAuthorizationIsClientCredentials() {
        OAuth2Authorization authorization = stateless.authorizationOf(
                jwt(StatelessAccessTokens.newJti(AuthorizationGrantType.CLIENT_CREDENTIALS), "spa"));

        assertThat(authorization.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.CLIENT_CREDENTIALS);
    }

    @Test
    void whenTokenPredatesTheGrantInTheJtiThenAClientActingForItselfIsClientCredentials() {
        OAuth2Authorization authorization = stateless.authorizationOf(jwt("st_AAAAAAAAAAAAAAAAAAAAAA", "spa"));

        assertThat(authorization.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.CLIENT_CREDENTIALS);
    }

    @Test
    void whenTokenPredatesTheGrantInTheJtiAndItsSubjectIsAUserThenImplicit() {
        OAuth2Authorization authorization = stateless.authorizationOf(jwt("st_AAAAAAAAAAAAAAAAAAAAAA", "alice"));

        assertThat(authorization.getAuthorizationGrantType()).isEqualTo(OstiaryGrantTypes.IMPLICIT);
        assertThat(authorization.getPrincipalName()).isEqualTo("alice");
    }

    @Test
    void whenTokenWasRevokedThenThereIsNoAuthorization() {
        String jti = StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT);
        revokedJtis.add(jti);

        assertThat(stateless.authorizationOf(jwt(jti, "alice"))).isNull();
    }

    @Test
    void whenItsClientIsGoneThenThereIsNoAuthorization() {
        Jwt ofAnotherClient = Jwt.withTokenValue("header.payload.signature").header("alg", "RS256")
                .jti(StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT)).subject("alice")
                .claim("client_id", "deleted-client").issuedAt(NOW).expiresAt(NOW.plusSeconds(300)).build();

        assertThat(stateless.authorizationOf(ofAnotherClient)).isNull();
    }

    @AfterEach
    void clearRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    private static MockHttpServletRequest currentRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/revoke");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        return request;
    }

    private static OAuth2Authorization revoked(OAuth2Authorization authorization) {
        return OAuth2Authorization.from(authorization).invalidate(authorization.getAccessToken().getToken()).build();
    }

    @Test
    void whenSavedWithoutRevocationThenNothingIsWrittenOrHandedOver() {
        MockHttpServletRequest request = currentRequest();
        // a null JdbcClient would fail any write
        stateless.save(stateless.authorizationOf(jwt(StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT), "alice")));

        assertThat(revokedJtis).isEmpty();
        assertThat(request.getAttribute(StatelessAuthorizations.REVOKED)).isNull();
    }

    @Test
    void whenSavedRevokedThenItsJtiIsListedAndHandedToTheRevocationEndpointWithItsOwner() {
        MockHttpServletRequest request = currentRequest();
        String jti = StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT);

        stateless.save(revoked(stateless.authorizationOf(jwt(jti, "alice"))));

        assertThat(revokedJtis).containsExactly(jti);
        assertThat(request.getAttribute(StatelessAuthorizations.REVOKED))
                .isEqualTo(new StatelessAuthorizations.Revoked(jti, "alice"));
    }

    @Test
    void whenAlreadyRevokedThenNothingIsHandedOver() {
        MockHttpServletRequest request = currentRequest();
        String jti = StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT);
        OAuth2Authorization authorization = stateless.authorizationOf(jwt(jti, "alice"));
        revokedJtis.add(jti);

        stateless.save(revoked(authorization));

        assertThat(request.getAttribute(StatelessAuthorizations.REVOKED)).isNull();
    }
}
