package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** The row mapping both ways, without a database: an authorization survives its row unchanged. */
@Tag("unit")
class AuthorizationRowsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Instant NOW = CLOCK.instant();
    private static final String CODE = "code-value";
    private static final String REFRESH = "refresh-value";
    private static final String STATE = "state-value";

    private final RegisteredClient client = registeredClient();
    private final AuthorizationRows rows = new AuthorizationRows(new InMemoryRegisteredClientRepository(client),
            AuthorizationRows.securityJson());

    private static RegisteredClient registeredClient() {
        return RegisteredClient.withId("0b7e3c1e-4a8f-4a43-9d3b-6a3f7f0c2d11")
                .clientId("web-app")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri("https://app.example/callback")
                .scope("openid").scope("read")
                .build();
    }

    private static String accessTokenValue() {
        return new PlainJWT(new JWTClaimsSet.Builder()
                .subject("alice").jwtID("at-1").claim("client_id", "web-app")
                .issueTime(java.util.Date.from(NOW)).expirationTime(java.util.Date.from(NOW.plusSeconds(300)))
                .claim("cnf", Map.of("jkt", "thumbprint-1"))
                .build()).serialize();
    }

    /**
     * A code-flow authorization with every token: code, DPoP-bound access token, refresh and ID token.
     * Its request has one scope: Jackson reads a set back in its own order, which says nothing here.
     */
    private OAuth2Authorization authorization(boolean codeRedeemed) {
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri("https://issuer.example/oauth2/authorize").clientId("web-app")
                .redirectUri("https://app.example/callback").scopes(Set.of("openid")).state(STATE)
                .build();
        UsernamePasswordAuthenticationToken principal = UsernamePasswordAuthenticationToken.authenticated(
                User.withUsername("alice").password("").authorities("ROLE_USER").build(), null,
                AuthorityUtils.createAuthorityList("ROLE_USER"));
        String access = accessTokenValue();
        return OAuth2Authorization.withRegisteredClient(client)
                .id("authorization-1")
                .principalName("alice")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizedScopes(Set.of("openid", "read"))
                .attribute(OAuth2AuthorizationRequest.class.getName(), request)
                .attribute(java.security.Principal.class.getName(), principal)
                .attribute(OAuth2ParameterNames.STATE, STATE)
                .token(new OAuth2AuthorizationCode(CODE, NOW, NOW.plusSeconds(60)),
                        m -> m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, codeRedeemed))
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.DPOP, access, NOW, NOW.plusSeconds(300),
                        Set.of("read")), m -> m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                                Map.of("jti", "at-1", "cnf", Map.of("jkt", "thumbprint-1"))))
                .refreshToken(new OAuth2RefreshToken(REFRESH, NOW, NOW.plus(Duration.ofDays(1))))
                .token(new OidcIdToken("id-token-value", NOW, NOW.plusSeconds(300), Map.of("sub", "alice")),
                        // a mutable map, as Spring's generators give: the JSON allow-list refuses Map.of
                        m -> m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, new HashMap<>(Map.of("sub", "alice"))))
                .build();
    }

    private static void assertSameRow(Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // values compared one by one: digests and scopes are arrays, compared by content
        expected.forEach((column, value) -> assertThat(actual.get(column)).as(column).isEqualTo(value));
    }

    @Test
    void whenRowIsReadBackAndSavedThenEveryColumnIsUnchanged() {
        Map<String, Object> row = rows.columnsOf(authorization(false), NOW);

        OAuth2Authorization read = rows.authorizationOf(row,
                FoundBy.digestOf(AuthorizationColumns.REFRESH_TOKEN_HASH, REFRESH));

        assertSameRow(rows.columnsOf(read, NOW), row);
    }

    @Test
    void whenRowIsWrittenThenEveryColumnIsMappedAndNoTokenValueIsStored() {
        Map<String, Object> row = rows.columnsOf(authorization(false), NOW);

        assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(
                AuthorizationColumns.ALL.stream().map(AuthorizationColumns.Column::name).toList());
        assertThat(row.get("code_hash")).isEqualTo(TokenDigest.of(CODE));
        assertThat(row.get("refresh_token_hash")).isEqualTo(TokenDigest.of(REFRESH));
        assertThat(row.get("state_hash")).isEqualTo(TokenDigest.of(STATE));
        assertThat(row.get("access_token_jkt")).isEqualTo("thumbprint-1");
        assertThat(row.get("access_token_type")).isEqualTo("DPoP");
        assertThat(row.get("expires_at")).isEqualTo(OffsetDateTime.ofInstant(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        // (the state stays inside the stored authorization request, as in Spring's JDBC store)
        assertThat(row.values().stream().filter(String.class::isInstance).map(String.class::cast))
                .noneMatch(text -> text.contains(CODE) || text.contains(REFRESH) || text.contains("id-token-value"));
    }

    @Test
    void whenFoundByRefreshTokenThenOnlyThatTokenHasItsValueAndTheRestIsAsSaved() {
        OAuth2Authorization saved = authorization(false);

        OAuth2Authorization read = rows.authorizationOf(rows.columnsOf(saved, NOW),
                FoundBy.digestOf(AuthorizationColumns.REFRESH_TOKEN_HASH, REFRESH));

        assertThat(read.getId()).isEqualTo(saved.getId());
        assertThat(read.getPrincipalName()).isEqualTo("alice");
        assertThat(read.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.AUTHORIZATION_CODE);
        assertThat(read.getAuthorizedScopes()).containsExactlyInAnyOrder("openid", "read");
        assertThat(read.<OAuth2AuthorizationRequest>getAttribute(OAuth2AuthorizationRequest.class.getName()).getState())
                .isEqualTo(STATE);
        assertThat(read.<UsernamePasswordAuthenticationToken>getAttribute(java.security.Principal.class.getName())
                .getName()).isEqualTo("alice");
        assertThat(read.getRefreshToken().getToken().getTokenValue()).isEqualTo(REFRESH);
        assertThat(read.getRefreshToken().getToken().getExpiresAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(TokenDigest.isPlaceholder(read.getAccessToken().getToken().getTokenValue())).isTrue();
        assertThat(TokenDigest.isPlaceholder(read.<String>getAttribute(OAuth2ParameterNames.STATE))).isTrue();
        // the access token's binding survives without its value: a refresh must keep it (RFC 9449 §5)
        assertThat(read.getAccessToken().getClaims()).isEqualTo(Map.of("cnf", Map.of("jkt", "thumbprint-1")));
        assertThat(read.getAccessToken().getToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.DPOP);
        assertThat(read.getToken(OidcIdToken.class).getClaims()).containsEntry("sub", "alice");
        Lookup lookup = read.getAttribute(Lookup.ATTRIBUTE);
        assertThat(lookup.kind()).isEqualTo(Lookup.Kind.REFRESH_TOKEN);
        assertThat(lookup.wasUsed()).isFalse();
    }

    @Test
    void whenFoundByAccessTokenThenItsClaimsAreReadFromTheTokenWithInstants() {
        String access = accessTokenValue();

        OAuth2Authorization read = rows.authorizationOf(rows.columnsOf(authorization(false), NOW),
                FoundBy.digestOf(AuthorizationColumns.ACCESS_TOKEN_HASH, access));

        assertThat(read.getAccessToken().getToken().getTokenValue()).isEqualTo(access);
        assertThat(read.getAccessToken().getClaims())
                .containsEntry("sub", "alice").containsEntry("jti", "at-1").containsEntry("iat", NOW);
        assertThat(read.<Lookup>getAttribute(Lookup.ATTRIBUTE).kind()).isNull();
    }

    @Test
    void whenCodeWasRedeemedThenItsLookupSaysUsedAndSavingAgainConsumesNothing() {
        OAuth2Authorization read = rows.authorizationOf(rows.columnsOf(authorization(true), NOW),
                FoundBy.digestOf(AuthorizationColumns.CODE_HASH, CODE));

        Lookup lookup = read.getAttribute(Lookup.ATTRIBUTE);
        assertThat(lookup.kind()).isEqualTo(Lookup.Kind.AUTHORIZATION_CODE);
        assertThat(lookup.wasUsed()).isTrue();
        assertThat(lookup.isConsumedBy(read)).isFalse();
    }

    @Test
    void whenRefreshTokenIsReplacedThenTheSaveConsumesTheOneItWasFoundBy() {
        OAuth2Authorization read = rows.authorizationOf(rows.columnsOf(authorization(false), NOW),
                FoundBy.digestOf(AuthorizationColumns.REFRESH_TOKEN_HASH, REFRESH));
        Lookup lookup = read.getAttribute(Lookup.ATTRIBUTE);

        OAuth2Authorization rotated = OAuth2Authorization.from(read)
                .refreshToken(new OAuth2RefreshToken("refresh-value-2", NOW, NOW.plus(Duration.ofDays(1))))
                .build();

        assertThat(lookup.isConsumedBy(read)).isFalse();
        assertThat(lookup.isConsumedBy(rotated)).isTrue();
        assertThat(rows.columnsOf(rotated, NOW)).doesNotContainKey(Lookup.ATTRIBUTE);
        assertThat((String) rows.columnsOf(rotated, NOW).get("attributes")).doesNotContain(Lookup.class.getName());
    }

    @Test
    void whenNothingExpiresThenTheRowExpiresInAnHourAndWithARefreshTokenInTenYears() {
        OAuth2Authorization waitingForConsent = OAuth2Authorization.withRegisteredClient(client)
                .id("authorization-2").principalName("alice")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(OAuth2ParameterNames.STATE, STATE)
                .build();
        OAuth2Authorization neverExpiring = OAuth2Authorization.from(waitingForConsent)
                .refreshToken(new OAuth2RefreshToken(REFRESH, NOW, null))
                .build();

        assertThat(rows.columnsOf(waitingForConsent, NOW).get("expires_at"))
                .isEqualTo(OffsetDateTime.ofInstant(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThat(rows.columnsOf(neverExpiring, NOW).get("expires_at"))
                .isEqualTo(OffsetDateTime.ofInstant(NOW.plus(Duration.ofDays(3650)), ZoneOffset.UTC));
    }

    @Test
    void whenClientIsGoneThenTheRowGivesNoAuthorization() {
        Map<String, Object> row = rows.columnsOf(authorization(false), NOW);
        AuthorizationRows withoutClient = new AuthorizationRows(
                new InMemoryRegisteredClientRepository(List.of(registeredClientWithAnotherId())),
                AuthorizationRows.securityJson());

        assertThat(withoutClient.authorizationOf(row, FoundBy.NOTHING)).isNull();
    }

    private static RegisteredClient registeredClientWithAnotherId() {
        return RegisteredClient.from(registeredClient()).id("5f1c9a52-1111-4c3e-8d2a-000000000000")
                .clientId("other-app").build();
    }
}
