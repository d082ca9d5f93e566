package dev.ostiary.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.support.ServerTest;

/**
 * The admin API's second-factor rule on (its default; the other server tests turn it off until their
 * admin token carries a second factor): a user's token without acr loa:2 is 403
 * insufficient_user_authentication (RFC 9470 §3), with it 200; the password grant gets no
 * {@code ostiary:admin} token for a password alone.
 */
class AdminApiSecondFactorTest extends ServerTest {

    @DynamicPropertySource
    static void adminRuleOn(DynamicPropertyRegistry registry) {
        registry.add("ostiary.step-up.admin-requires-second-factor", () -> "true");
    }

    @Autowired
    private JwtEncoder serverKeys;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whenUserTokenOfAPasswordOnlySignInThenForbiddenInsufficientUserAuthentication() throws Exception {
        HttpResponse<String> response = listClients(userToken("urn:ostiary:loa:1", List.of("pwd")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("Bearer error=\"insufficient_user_authentication\"", "acr_values=\"urn:ostiary:loa:2\"");
    }

    @Test
    void whenUserTokenWithoutAnyAcrThenForbiddenInsufficientUserAuthentication() throws Exception {
        HttpResponse<String> response = listClients(userToken(null, null));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("insufficient_user_authentication");
    }

    @Test
    void whenUserTokenOfATwoFactorSignInThenAllowed() throws Exception {
        assertThat(listClients(userToken("urn:ostiary:loa:2", List.of("pwd", "otp", "mfa"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void whenPasswordGrantAsksOstiaryAdminWithAPasswordOnlyThenInvalidGrant() throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret")),
                new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("bob-pw")), Scope.parse("ostiary:admin"))
                .toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void whenPasswordGrantAsksOrdinaryScopesThenStillIssuedWithLoa1() throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret")),
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), Scope.parse("read"))
                .toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(dev.ostiary.support.Jwks.verify(baseUrl(), response.toSuccessResponse().getTokens().getAccessToken()
                .getValue()).getStringClaim("acr")).isEqualTo("urn:ostiary:loa:1");
    }

    /** bob's admin token as the server would sign it (a stateless user token), with the sign-in claims given. */
    private String userToken(String acr, List<String> amr) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer(baseUrl()).subject("bob")
                .audience(List.of("urn:ostiary:admin-api")).issuedAt(now).notBefore(now).expiresAt(now.plusSeconds(300))
                .id(StatelessAccessTokens.newJti(OstiaryGrantTypes.IMPLICIT)).claim("client_id", "trusted-app")
                .claim("scope", "ostiary:admin").claim("roles", List.of("ADMIN", "USER"));
        if (acr != null) {
            claims.claim("acr", acr).claim("amr", amr).claim("auth_time", java.util.Date.from(now));
        }
        return serverKeys.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt")
                .build(), claims.build())).getTokenValue();
    }

    private HttpResponse<String> listClients(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/clients")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
