package dev.ostiary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestClientRequests;
import dev.ostiary.support.TestScopes;

/** The rules a registered client must meet, without a server: one problem per field and reason. */
@Tag("unit")
class ClientRulesTest {

    private final ScopeCatalog scopes = TestScopes.catalog();

    private List<String> problems(TestClientRequests.Builder request) {
        return ClientRules.check(request.build(), scopes, GrantFixtures.grants()).stream().map(p -> p.field() + ": " + p.message()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "https://client.example.com/callback", "https://client.example.com:8443/cb?x=1",
            "http://127.0.0.1:18999/callback", "http://127.0.0.1/callback", "http://[::1]:8080/cb",
            "http://localhost:3000/cb", "HTTPS://client.example.com/cb", "com.example.app:/oauth2redirect",
            "com.example.app://callback" })
    void whenRedirectUriIsExactAndAllowedThenNoProblem(String uri) {
        assertThat(ClientRules.redirectUriProblem(uri)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "https://*.example.com/cb | must not contain wildcards",
            "https://client.example.com/* | must not contain wildcards",
            "https://client.example.com/cb#frag | must not have a fragment",
            "https://client.example.com/cb# | must not have a fragment",
            "/callback | must be absolute",
            "client.example.com/cb | must be absolute",
            "https://client example.com/cb | is not a valid URI",
            "https:/path-only | needs a host",
            "http://client.example.com/cb | http is only allowed on a loopback host (127.0.0.1, [::1], localhost); use https",
            "http://127.0.0.2/cb | http is only allowed on a loopback host (127.0.0.1, [::1], localhost); use https",
            "http://localhost.evil.example/cb | http is only allowed on a loopback host (127.0.0.1, [::1], localhost); use https",
            "myapp:/callback | must be https, http on a loopback host, or a private-use scheme such as com.example.app",
            "javascript:alert(1) | must be https, http on a loopback host, or a private-use scheme such as com.example.app",
            "data:text/html,x | must be https, http on a loopback host, or a private-use scheme such as com.example.app",
            "ftp://client.example.com/cb | must be https, http on a loopback host, or a private-use scheme such as com.example.app" })
    void whenRedirectUriBreaksARuleThenThatRuleIsTheProblem(String uri, String problem) {
        assertThat(ClientRules.redirectUriProblem(uri)).isEqualTo(problem);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "   ")
    void whenRedirectUriIsEmptyThenMustNotBeEmpty(String uri) {
        assertThat(ClientRules.redirectUriProblem(uri)).isEqualTo("must not be empty");
    }

    @Test
    void whenRedirectUriLongerThanLimitThenTooLong() {
        String uri = "https://client.example.com/" + "a".repeat(ClientRules.MAX_URI_LENGTH);
        assertThat(ClientRules.redirectUriProblem(uri)).isEqualTo("must be at most 512 characters");
    }

    @Test
    void whenWebClientIsValidThenNoProblems() {
        assertThat(problems(TestClientRequests.webClient())).isEmpty();
        assertThat(problems(TestClientRequests.serviceClient())).isEmpty();
    }

    @Test
    void whenSignedRequestObjectsRequiredWithoutKeysThenProblem() {
        assertThat(problems(TestClientRequests.webClient().requireSignedRequestObject(true)))
                .containsExactly("requireSignedRequestObject: needs the client's public keys (jwks or jwksUri)");
        assertThat(problems(TestClientRequests.webClient().requireSignedRequestObject(true)
                .jwksUri("https://client.example.com/jwks"))).isEmpty();
    }

    @Test
    void whenNameMissingOrTooLongThenClientNameProblem() {
        assertThat(problems(TestClientRequests.webClient().clientName(" "))).containsExactly("clientName: is required");
        assertThat(problems(TestClientRequests.webClient().clientName("n".repeat(201))))
                .containsExactly("clientName: must be at most 200 characters");
    }

    @Test
    void whenClientIdHasOtherCharactersThenClientIdProblem() {
        assertThat(problems(TestClientRequests.webClient().clientId("my client")))
                .containsExactly("clientId: may contain letters, digits and . _ ~ - (at most 100)");
        assertThat(problems(TestClientRequests.webClient().clientId("my.client_1~-"))).isEmpty();
    }

    @Test
    void whenNoGrantOrUnknownGrantThenGrantTypesProblem() {
        assertThat(problems(TestClientRequests.webClient().grantTypes()))
                .containsExactly("grantTypes: needs at least one grant type");
        assertThat(problems(TestClientRequests.serviceClient().grantTypes("client_credentials", "device_code")))
                .containsExactly("grantTypes: unknown grant type: device_code");
    }

    @Test
    void whenOnlyRefreshTokenThenItNeedsAnIssuingGrant() {
        assertThat(problems(TestClientRequests.serviceClient().grantTypes("refresh_token")))
                .containsExactly("grantTypes: refresh_token needs a grant that issues refresh tokens");
    }

    @Test
    void whenPublicClientCombinedOrGivenSecretOnlyGrantsThenProblems() {
        assertThat(problems(TestClientRequests.webClient().authMethods("none", "client_secret_basic")))
                .containsExactly("authMethods: none (a public client) cannot be combined with others");
        assertThat(problems(TestClientRequests.serviceClient().authMethods("none")))
                .containsExactly("grantTypes: a public client cannot use client_credentials or password");
        assertThat(problems(TestClientRequests.webClient().authMethods("none"))).isEmpty();
    }

    @Test
    void whenUnknownAuthMethodThenAuthMethodsProblem() {
        assertThat(problems(TestClientRequests.webClient().authMethods("tls_client_auth")))
                .containsExactly("authMethods: unknown authentication method: tls_client_auth");
    }

    @Test
    void whenCodeOrImplicitWithoutRedirectUriThenRedirectUrisProblem() {
        assertThat(problems(TestClientRequests.webClient().redirectUris(List.of())))
                .containsExactly("redirectUris: authorization_code and implicit need a redirect URI");
        assertThat(problems(TestClientRequests.webClient().grantTypes("implicit").redirectUris(List.of())))
                .containsExactly("redirectUris: authorization_code and implicit need a redirect URI");
    }

    @Test
    void whenSomeRedirectUrisAreWrongThenEachIsReportedAtItsIndex() {
        assertThat(problems(TestClientRequests.webClient().redirectUris("https://ok.example/cb",
                "http://evil.example/cb", "https://ok.example/cb#f")))
                .containsExactly("redirectUris[1]: http is only allowed on a loopback host (127.0.0.1, [::1],"
                        + " localhost); use https", "redirectUris[2]: must not have a fragment");
        assertThat(problems(TestClientRequests.webClient().postLogoutRedirectUris("https://ok.example/bye", "/bye")))
                .containsExactly("postLogoutRedirectUris[1]: must be absolute");
    }

    @Test
    void whenListsExceedTheirLimitsThenSizeProblems() {
        List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "https://client.example.com/cb" + i).toList();
        assertThat(problems(TestClientRequests.webClient().redirectUris(eleven)))
                .containsExactly("redirectUris: may hold at most 10 entries");
    }

    @Test
    void whenScopeNotInCatalogThenUnknownScope() {
        assertThat(problems(TestClientRequests.webClient().scopes("read", "delete")))
                .containsExactly("scopes: unknown scope: delete");
    }

    @Test
    void whenServiceRoleIsNotUpperCaseThenServiceRolesProblem() {
        assertThat(problems(TestClientRequests.serviceClient().serviceRoles(java.util.Set.of("admin"))))
                .containsExactly("serviceRoles: roles are upper case letters, digits and _: admin");
        assertThat(problems(TestClientRequests.serviceClient().serviceRoles(java.util.Set.of("REPORTS_2")))).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({ "access,59,accessTokenTtlSeconds: must be between 60 and 86400",
            "access,86401,accessTokenTtlSeconds: must be between 60 and 86400",
            "refresh,299,refreshTokenTtlSeconds: must be between 300 and 31536000",
            "code,301,authCodeTtlSeconds: must be between 10 and 300",
            "implicit,301,implicitTokenTtlSeconds: must be between 60 and 300" })
    void whenLifetimeOutOfRangeThenRangeProblem(String which, int seconds, String problem) {
        TestClientRequests.Builder request = TestClientRequests.webClient();
        switch (which) {
            case "access" -> request.accessTokenTtlSeconds(seconds);
            case "refresh" -> request.refreshTokenTtlSeconds(seconds);
            case "code" -> request.authCodeTtlSeconds(seconds);
            default -> request.implicitTokenTtlSeconds(seconds);
        }
        assertThat(problems(request)).containsExactly(problem);
    }

    @Test
    void whenSigningAlgorithmNotOfferedThenProblem() {
        assertThat(problems(TestClientRequests.webClient().accessTokenSigningAlg("HS256")))
                .containsExactly("accessTokenSigningAlg: must be RS256 or ES256");
        assertThat(problems(TestClientRequests.webClient().accessTokenSigningAlg("ES256"))).isEmpty();
    }

    @Test
    void whenPrivateKeyJwtWithoutKeysThenJwksProblem() {
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt")))
                .containsExactly("jwks: private_key_jwt needs the client's public keys (jwks or jwksUri)");
    }

    @Test
    void whenJwksHoldsAPrivateKeyOrBothFormsGivenThenJwksProblem() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Map<String, Object> withPrivate = Map.of("keys", List.of(key.toJSONObject()));
        Map<String, Object> publicOnly = Map.of("keys", List.of(key.toPublicJWK().toJSONObject()));
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt").jwks(publicOnly)))
                .isEmpty();
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt").jwks(withPrivate)))
                .containsExactly("jwks: contains a private key: send only the public key");
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt").jwks(publicOnly)
                .jwksUri("https://client.example.com/jwks")))
                .containsExactly("jwks: give jwks or jwksUri, not both");
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt")
                .jwks(Map.of("keys", List.of())))).containsExactly("jwks: contains no key");
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt")
                .jwks(Map.of("keys", "nope")))).containsExactly("jwks: is not a JWK set");
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://client.example.com/jwks", "com.example.app:/jwks", "/jwks" })
    void whenJwksUriIsNotAnHttpsUrlThenJwksUriProblem(String uri) {
        assertThat(problems(TestClientRequests.serviceClient().authMethods("private_key_jwt").jwksUri(uri)))
                .containsExactly("jwksUri: must be an https URL (http only on loopback)");
    }
}
