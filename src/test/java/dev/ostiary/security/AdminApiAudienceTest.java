package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * Review M4: the admin API is a resource of its own ({@code urn:ostiary:admin-api}, the resource of V10; it was {@code ostiary-admin}) and accepts only tokens
 * meant for it alone, never one another API (which could replay it) also accepts.
 */
class AdminApiAudienceTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private String adminName;

    @org.junit.jupiter.api.BeforeEach
    void ownAdmin() {
        adminName = newUser("ADMIN");
    }

    @Test
    void whenTokenIsForAnotherAudienceThenAdminApiRefusesIt() throws Exception {
        // an ADMIN: the sample API's admin scope gives them a token for demo-api, with role ADMIN
        String forDemoApi = admin("admin");
        assertThat(Jwks.verify(baseUrl(), forDemoApi).getAudience()).containsExactly("demo-api");
        assertThat(Jwks.verify(baseUrl(), forDemoApi).getStringListClaim("roles")).contains("ADMIN");
        assertThat(adminApi(forDemoApi)).isEqualTo(401);

        // a token for both APIs is one that demo-api could replay here
        String forBoth = admin("read ostiary:admin");
        assertThat(Jwks.verify(baseUrl(), forBoth).getAudience()).containsExactlyInAnyOrder("demo-api", "urn:ostiary:admin-api");
        assertThat(adminApi(forBoth)).isEqualTo(401);

        String forAdminApi = admin("ostiary:admin");
        assertThat(Jwks.verify(baseUrl(), forAdminApi).getAudience()).containsExactly("urn:ostiary:admin-api");
        assertThat(adminApi(forAdminApi)).isEqualTo(200);
    }

    /**
     * An ADMIN of this test's own with a password only: bob's grant needs a fresh TOTP code, one per
     * 30-second step, so three tokens of his took a minute and a half. ServerTest turns the admin
     * API's second-factor rule off; AdminApiSecondFactorTest covers it.
     */
    private String admin(String scope) throws Exception {
        return TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                new ResourceOwnerPasswordCredentialsGrant(adminName, new Secret("password")), Scope.parse(scope))
                .getAccessToken().getValue();
    }

    private int adminApi(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/admin/api/keys")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
