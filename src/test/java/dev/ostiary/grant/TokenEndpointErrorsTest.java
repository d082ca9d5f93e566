package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;

/**
 * RFC 6749 §5.2 errors of the token endpoint: exact status and error code, a JSON body, never a
 * 500. Malformed requests are built by hand on purpose: no client library sends them.
 */
class TokenEndpointErrorsTest extends ServerTest {

    private static final String SVC_BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("svc-client:svc-secret".getBytes(StandardCharsets.UTF_8));

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String authorization, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/oauth2/token"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenUnknownClientThenInvalidClient() throws Exception {
        HTTPResponse response = new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("nobody"), new Secret("x")), new ClientCredentialsGrant(), null)
                .toHTTPRequest().send();
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing grant_type            | scope=read                                               | 400 | invalid_request",
            "duplicated grant_type         | grant_type=client_credentials&grant_type=client_credentials | 400 | invalid_request",
            "duplicated scope              | grant_type=client_credentials&scope=read&scope=write     | 400 | invalid_request",
            "unknown grant_type            | grant_type=urn:example:made-up                           | 400 | unsupported_grant_type",
            "scope outside the registration| grant_type=client_credentials&scope=admin               | 400 | invalid_scope",
            "scope unknown                 | grant_type=client_credentials&scope=nonexistent         | 400 | invalid_scope",
    })
    void whenBadRequestThenRfc6749Error(String name, String body, int status, String error) throws Exception {
        HttpResponse<String> response = post(SVC_BASIC, "application/x-www-form-urlencoded", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"error\":\"" + error + "\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // malformed credentials are a malformed request (RFC 6749 §5.2 invalid_request) ...
            "broken base64            | Basic %%%notbase64         | 400 | invalid_request",
            "no colon                 | Basic c3ZjLWNsaWVudA==     | 400 | invalid_request",
            "empty basic              | Basic                      | 400 | invalid_request",
            // ... a scheme the server does not know is no client authentication at all (§5.2 invalid_client)
            "unknown scheme           | Digest username=svc-client | 401 | invalid_client",
    })
    void whenMalformedClientAuthenticationThenExactErrorNotServerError(String name, String authorization, int status,
            String error) throws Exception {
        HttpResponse<String> response = post(authorization, "application/x-www-form-urlencoded",
                "grant_type=client_credentials");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"error\":\"" + error + "\"");
    }

    @Test
    void whenJsonBodyThenInvalidRequestNotServerError() throws Exception {
        HttpResponse<String> response = post(SVC_BASIC, "application/json", "{\"grant_type\":\"client_credentials\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_request\"");
    }

    @Test
    void whenGetOnTokenEndpointThenNoServerErrorAndNoToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                uri("/oauth2/token?grant_type=client_credentials")).header("Authorization", SVC_BASIC).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // RFC 6749 §3.2: the token endpoint takes POST only
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").doesNotContain("access_token");
    }

    @Test
    void whenSecretInQueryStringThenRejected() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                + "/oauth2/token?client_id=svc-client&client_secret=svc-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        // credentials in the query string would end up in logs: refused before any client check (RFC 6749 §2.3.1)
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").doesNotContain("access_token");
    }
}
