package dev.ostiary.stepup;

import static dev.ostiary.stepup.StepUpFixtures.NOW;
import static dev.ostiary.stepup.StepUpFixtures.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;

import dev.ostiary.login.Factors;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestRegisteredClients;

@Tag("unit")
class SignInClaimsTest {

    private final SignInClaims claims = new SignInClaims(
            new SecondFactorPolicy(StepUpFixtures.scopes(), new StepUpProperties(true)));
    private final RegisteredClient client = TestRegisteredClients.registeredClient().build();

    @Test
    void customizeWhenAccessTokenOfTwoFactorSignInThenAcrAmrAuthTime() {
        Map<String, Object> token = customize(OAuth2TokenType.ACCESS_TOKEN,
                signIn(Factors.PASSWORD, NOW.minusSeconds(20), Factors.TOTP, NOW.minusSeconds(10)), Set.of("read"));

        assertThat(token).containsEntry("acr", "urn:ostiary:loa:2")
                .containsEntry("amr", java.util.List.of("pwd", "otp", "mfa"))
                .containsEntry("auth_time", java.util.Date.from(NOW.minusSeconds(10)));
    }

    @Test
    void customizeWhenIdTokenThenTheSameClaims() {
        Map<String, Object> token = customize(new OAuth2TokenType("id_token"), signIn(Factors.PASSWORD, NOW),
                Set.of("openid"));

        assertThat(token).containsEntry("acr", "urn:ostiary:loa:1").containsEntry("amr", java.util.List.of("pwd"))
                .containsEntry("auth_time", java.util.Date.from(NOW));
    }

    @Test
    void customizeWhenClientCredentialsThenNoSignInClaims() {
        RegisteredClient service = GrantFixtures.serviceClient().build();
        OAuth2ClientAuthenticationToken itself = GrantFixtures.authenticated(service);

        Map<String, Object> token = customize(OAuth2TokenType.ACCESS_TOKEN, itself, Set.of("ostiary:admin"));

        assertThat(token).doesNotContainKeys("acr", "amr", "auth_time");
    }

    @Test
    void customizeWhenScopeNeedsSecondFactorAndSignInHasOneThenInvalidGrant() {
        assertThatExceptionOfType(OAuth2AuthenticationException.class)
                .isThrownBy(() -> customize(OAuth2TokenType.ACCESS_TOKEN, signIn(Factors.PASSWORD, NOW), Set.of("admin")))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_grant"));
    }

    @Test
    void customizeWhenScopeNeedsSecondFactorAndSignInHasTwoThenIssued() {
        assertThat(customize(OAuth2TokenType.ACCESS_TOKEN, signIn(Factors.WEBAUTHN, NOW), Set.of("admin")))
                .containsEntry("acr", "urn:ostiary:loa:2").containsEntry("amr", java.util.List.of("hwk"));
    }

    @Test
    void customizeWhenPrincipalHasNoFactorsAndNoPolicyThenIssuedWithoutSignInClaims() {
        Authentication exchanged = org.springframework.security.authentication.UsernamePasswordAuthenticationToken
                .authenticated("bob", null, org.springframework.security.core.authority.AuthorityUtils.NO_AUTHORITIES);

        assertThat(customize(OAuth2TokenType.ACCESS_TOKEN, exchanged, Set.of("read"))).doesNotContainKeys("acr", "amr");
    }

    private Map<String, Object> customize(OAuth2TokenType type, Authentication principal, Set<String> scopes) {
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder().subject(principal.getName());
        JwtEncodingContext context = JwtEncodingContext.with(JwsHeader.with(SignatureAlgorithm.RS256), builder)
                .registeredClient(client).principal(principal).tokenType(type).authorizedScopes(scopes)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).build();
        claims.customize(context);
        return builder.build().getClaims();
    }
}
