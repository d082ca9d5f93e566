package dev.ostiary.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.replay.SeenJtis;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;
import dev.ostiary.support.TestRegisteredClients;

/** The converter's decisions: which request results, and where a refusal goes (RFC 9101 §6.3, §7, §10.5). */
@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class SignedRequestObjectsUnitTest {

    private static final RSAKey KEY = generate();
    private static final Instant NOW = GrantFixtures.CLOCK.instant();

    private final SeenJtis seen = new SeenJtis(null, GrantFixtures.CLOCK) {
        private final Set<String> used = new HashSet<>();

        @Override
        public boolean firstUse(Kind kind, String issuer, String jti, Instant expiresAt) {
            return used.add(kind + issuer + jti);
        }
    };
    private final List<Object> events = new ArrayList<>();

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("k1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SignedRequestObjects converter(boolean requireSigned) {
        RegisteredClient client = TestRegisteredClients.registeredClient()
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .clientSettings(ClientSettings.builder()
                        .setting("ostiary.client.jwks", new JWKSet(KEY.toPublicJWK()).toString())
                        .setting("ostiary.client.require-signed-request-object", requireSigned).build())
                .build();
        return new SignedRequestObjects(new InMemoryRegisteredClientRepository(client), new RequestObjectVerifier(
                new ClientAssertionDecoders(null, seen, GrantFixtures.CLOCK, null, null), seen, GrantFixtures.CLOCK),
                events::add);
    }

    private static String object(String state) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer("client-1").audience(GrantFixtures.ISSUER)
                        .expirationTime(Date.from(NOW.plusSeconds(60))).jwtID(state)
                        .claim("redirect_uri", TestRegisteredClients.REDIRECT_URI).claim("scope", "read")
                        .claim("state", state).claim("code_challenge", "c".repeat(43))
                        .claim("code_challenge_method", "S256").build());
        jwt.sign(new RSASSASigner(KEY));
        return jwt.serialize();
    }

    private static MockHttpServletRequest request(String method, String path, String... parameters) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setScheme("https");
        request.setServerName("ostiary.example");
        request.setServerPort(443);
        for (int i = 0; i < parameters.length; i += 2) {
            request.addParameter(parameters[i], parameters[i + 1]);
        }
        if ("GET".equals(method)) {
            StringBuilder query = new StringBuilder();
            for (int i = 0; i < parameters.length; i += 2) {
                query.append(i == 0 ? "" : "&").append(parameters[i]).append('=')
                        .append(java.net.URLEncoder.encode(parameters[i + 1], java.nio.charset.StandardCharsets.UTF_8));
            }
            request.setQueryString(query.toString());
        } else {
            request.setContentType("application/x-www-form-urlencoded");
        }
        return request;
    }

    @Test
    void whenNoRequestObjectAndNotRequiredThenLeftToTheNextConverter() {
        assertThat(converter(false).convert(request("GET", "/oauth2/authorize", "response_type", "code",
                "client_id", "client-1"))).isNull();
        assertThat(converter(false).convert(request("GET", "/oauth2/authorize", "response_type", "code",
                "client_id", "unknown", "request", "x"))).isNull();
    }

    @Test
    void whenValidObjectThenOnlyItsParametersCount() throws Exception {
        var token = (OAuth2AuthorizationCodeRequestAuthenticationToken) converter(false).convert(request("GET",
                "/oauth2/authorize", "response_type", "code", "client_id", "client-1", "state", "outside",
                "scope", "admin", "request", object("inside")));

        assertThat(token.getState()).isEqualTo("inside");
        assertThat(token.getScopes()).containsExactly("read");
        assertThat(token.getRedirectUri()).isEqualTo(TestRegisteredClients.REDIRECT_URI);
        assertThat(token.getAdditionalParameters()).containsEntry("code_challenge_method", "S256")
                .doesNotContainKeys("request", "iss", "aud", "exp", "jti");
    }

    @Test
    void whenBadObjectThenInvalidRequestObjectToTheClientsRedirectUriOnly() {
        var toClient = catchThrowableOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> converter(false).convert(request("GET", "/oauth2/authorize", "response_type", "code",
                        "client_id", "client-1", "state", "o", "redirect_uri", TestRegisteredClients.REDIRECT_URI,
                        "request", new PlainJWT(new JWTClaimsSet.Builder().build()).serialize())));
        assertThat(toClient.getError().getErrorCode()).isEqualTo("invalid_request_object");
        assertThat(toClient.getAuthorizationCodeRequestAuthentication().getRedirectUri())
                .isEqualTo(TestRegisteredClients.REDIRECT_URI);
        assertThat(toClient.getAuthorizationCodeRequestAuthentication().getState()).isEqualTo("o");

        // not one of the client's URIs, or none and the client has two: the error page
        for (String[] outside : List.of(new String[] { "redirect_uri", "https://attacker.example/cb" },
                new String[] { "state", "o" })) {
            var onErrorPage = catchThrowableOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                    () -> converter(false).convert(request("GET", "/oauth2/authorize", "response_type", "code",
                            "client_id", "client-1", outside[0], outside[1], "request", "not-a-jwt")));
            assertThat(onErrorPage.getError().getErrorCode()).isEqualTo("invalid_request_object");
            assertThat(onErrorPage.getAuthorizationCodeRequestAuthentication().getRedirectUri()).isNull();
        }
        assertThat(events).hasSize(3).allSatisfy(event -> assertThat(((AuditEvent) event).details())
                .containsEntry("error", "invalid_request_object").containsKey("reason"));
    }

    @Test
    void whenSigningRequiredThenAPlainRequestIsRefusedButOurRequestUriIsNot() {
        var refused = catchThrowableOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> converter(true).convert(request("GET", "/oauth2/authorize", "response_type", "code",
                        "client_id", "client-1", "redirect_uri", TestRegisteredClients.REDIRECT_URI)));
        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_object");

        assertThat(converter(true).convert(request("GET", "/oauth2/authorize", "client_id", "client-1",
                "request_uri", "urn:ietf:params:oauth:request_uri:abc")))
                .isInstanceOf(OAuth2AuthorizationCodeRequestAuthenticationToken.class);
    }

    @Test
    void whenPushedThenTheObjectsRequestOrAJsonRefusal() throws Exception {
        assertThat(converter(true).convert(request("POST", "/oauth2/par", "response_type", "code",
                "client_id", "client-1", "request", object("pushed"))))
                .isInstanceOfSatisfying(OAuth2PushedAuthorizationRequestAuthenticationToken.class,
                        pushed -> assertThat(pushed.getState()).isEqualTo("pushed"));

        var refused = catchThrowableOfType(OAuth2AuthorizationCodeRequestAuthenticationException.class,
                () -> converter(true).convert(request("POST", "/oauth2/par", "response_type", "code",
                        "client_id", "client-1", "redirect_uri", TestRegisteredClients.REDIRECT_URI)));
        assertThat(refused.getError().getErrorCode()).isEqualTo("invalid_request_object");
        assertThat(refused.getAuthorizationCodeRequestAuthentication()).isNull();
    }
}
