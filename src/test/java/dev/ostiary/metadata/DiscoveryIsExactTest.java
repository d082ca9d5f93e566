package dev.ostiary.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import com.nimbusds.jose.util.JSONObjectUtils;

import dev.ostiary.client.ClientRequest;
import dev.ostiary.client.ClientRules;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * Discovery says exactly what works (issue 15), driven by the documents themselves: every grant,
 * response type, authentication method and endpoint they advertise is tried against the running
 * server. A grant advertised that no client can be given, or that the token endpoint does not know,
 * fails here, whoever adds it.
 */
class DiscoveryIsExactTest extends ServerTest {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    private Grants grants;

    @Autowired
    private ScopeCatalog scopes;

    private Map<String, Object> document(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSONObjectUtils.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> document, String name) {
        return (List<String>) document.getOrDefault(name, List.of());
    }

    private List<String> problems(ClientRequest request, String field) {
        return ClientRules.check(request, scopes, grants).stream().filter(p -> p.field().equals(field))
                .map(FieldProblem::message).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration" })
    void whenGrantAdvertisedThenAClientCanHaveItAndTheTokenEndpointKnowsIt(String path) throws Exception {
        List<String> advertised = list(document(path), "grant_types_supported");
        assertThat(advertised).contains("authorization_code", "client_credentials");
        for (String grant : advertised) {
            assertThat(problems(ClientRequest.builder().clientName("x").grantTypes(Set.of(grant)).build(),
                    "grantTypes")).as(grant).noneMatch(message -> message.startsWith("unknown grant type"));
            if (grant.equals("implicit")) {
                continue; // no token request: its response type is tried below
            }
            assertThat(tokenError(grant)).as(grant).isNotEqualTo("unsupported_grant_type");
        }
        assertThat(tokenError("urn:example:not-a-grant")).isEqualTo("unsupported_grant_type");
    }

    /** A token request of {@code grant} by a demo client, without the grant's parameters: its error code. */
    private String tokenError(String grant) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "web-app:web-secret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + grant)).build(),
                HttpResponse.BodyHandlers.ofString());
        return String.valueOf(JSONObjectUtils.parse(response.body()).get("error"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration" })
    void whenResponseTypeAdvertisedThenTheAuthorizationEndpointKnowsIt(String path) throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        for (String responseType : list(document(path), "response_types_supported")) {
            assertThat(authorizationError(agent, responseType)).as(responseType)
                    .isNotEqualTo("unsupported_response_type");
        }
        assertThat(authorizationError(agent, "id_token")).isEqualTo("unsupported_response_type");
    }

    private String authorizationError(UserAgent agent, String responseType) throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=" + responseType
                + "&client_id=web-app&redirect_uri=http://127.0.0.1:18999/callback&scope=read&state=s");
        if (UserAgent.isRedirect(response)) {
            return UserAgent.parameters(UserAgent.location(response), responseType.equals("token"))
                    .getOrDefault("error", "none");
        }
        return response.body().contains("unsupported_response_type") ? "unsupported_response_type" : "other";
    }

    @ParameterizedTest
    @ValueSource(strings = { "token_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported",
            "revocation_endpoint_auth_methods_supported" })
    void whenAuthMethodAdvertisedThenClientsMayRegisterWithIt(String claim) throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            List<String> advertised = list(document(path), claim);
            for (String method : advertised) {
                assertThat(ClientRules.AUTH_METHODS).as(path + " " + claim).contains(method);
            }
            assertThat(advertised).as(path + " " + claim).doesNotContain("tls_client_auth",
                    "self_signed_tls_client_auth");
            if (!claim.startsWith("token_")) {
                assertThat(advertised).as(path + " " + claim).doesNotContain("none");
            }
        }
        assertThat(problems(ClientRequest.builder().clientName("x").grantTypes(Set.of("client_credentials"))
                .authMethods(Set.of("tls_client_auth")).build(), "authMethods")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration" })
    void whenEndpointAdvertisedThenItAnswersAndNothingUnconfiguredIsClaimed(String path) throws Exception {
        Map<String, Object> document = document(path);
        assertThat(document).doesNotContainKey("tls_client_certificate_bound_access_tokens")
                .containsEntry("pushed_authorization_request_endpoint", baseUrl() + "/oauth2/par")
                .containsEntry("require_pushed_authorization_requests", false)
                // RFC 9101: by value, signed; by reference only our PAR URNs, never fetched (docs/par-jar.md)
                .containsEntry("request_parameter_supported", true)
                .containsEntry("request_uri_parameter_supported", false)
                .containsEntry("request_object_signing_alg_values_supported", List.of("ES256", "PS256", "RS256"))
                .containsEntry("require_signed_request_object", false);
        for (Map.Entry<String, Object> claim : document.entrySet()) {
            if (!claim.getKey().endsWith("_endpoint") && !claim.getKey().equals("jwks_uri")) {
                continue;
            }
            URI endpoint = URI.create((String) claim.getValue());
            assertThat(endpoint.toString()).as(claim.getKey()).startsWith(baseUrl());
            int get = status(HttpRequest.newBuilder(endpoint).GET().build());
            int post = status(HttpRequest.newBuilder(endpoint).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")).build());
            assertThat(List.of(get, post)).as(claim.getKey() + " GET " + get + " POST " + post)
                    .anyMatch(status -> status != 404 && status != 405 && status < 500);
        }
    }

    private int status(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
