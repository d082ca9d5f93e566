package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * The authorization endpoint's answers for the code flow (RFC 6749 §4.1.2, RFC 9207, RFC 9700 §4.11):
 * a code, state and iss in the query; errors redirected only once the redirect URI is known good.
 */
@Tag("unit")
class AuthorizationEndpointResponsesTest {

    private static final String ISSUER = "https://as.example.com";
    private static final String CALLBACK = "https://client.example.com/callback";

    private final AuthorizationEndpointResponses responses = new AuthorizationEndpointResponses(List.of());
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorize");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @BeforeEach
    void issuer() {
        AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return ISSUER;
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return AuthorizationServerSettings.builder().issuer(ISSUER).build();
            }
        });
    }

    @AfterEach
    void reset() {
        AuthorizationServerContextHolder.resetContext();
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationToken codeRequest(String redirectUri, String state) {
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(ISSUER + "/oauth2/authorize", "client-1",
                new TestingAuthenticationToken("alice", null), redirectUri, state, Set.of("read"), Map.of());
    }

    @Test
    void whenCodeIssuedThenRedirectCarriesCodeStateAndIssInTheQuery() throws Exception {
        OAuth2AuthorizationCode code = new OAuth2AuthorizationCode("c0de+/=", Instant.now(), Instant.now().plusSeconds(60));
        responses.onAuthenticationSuccess(request, response, new OAuth2AuthorizationCodeRequestAuthenticationToken(
                ISSUER + "/oauth2/authorize", "client-1", new TestingAuthenticationToken("alice", null), code, CALLBACK,
                "st 1", Set.of("read")));
        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getRedirectedUrl()).isEqualTo(CALLBACK + "?code=c0de%2B%2F%3D&state=st%201&iss="
                + "https%3A%2F%2Fas.example.com");
    }

    @Test
    void whenCodeIssuedWithoutStateThenNoStateParameter() throws Exception {
        OAuth2AuthorizationCode code = new OAuth2AuthorizationCode("abc", Instant.now(), Instant.now().plusSeconds(60));
        responses.onAuthenticationSuccess(request, response, new OAuth2AuthorizationCodeRequestAuthenticationToken(
                ISSUER + "/oauth2/authorize", "client-1", new TestingAuthenticationToken("alice", null), code, CALLBACK,
                null, Set.of("read")));
        assertThat(response.getRedirectedUrl()).isEqualTo(CALLBACK + "?code=abc&iss=https%3A%2F%2Fas.example.com");
    }

    @Test
    void whenErrorAfterRedirectUriMatchedThenErrorRedirectWithStateAndIss() throws Exception {
        responses.onAuthenticationFailure(request, response, new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, "OAuth 2.0 Parameter: scope", null),
                codeRequest(CALLBACK, "st-2")));
        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getRedirectedUrl()).isEqualTo(CALLBACK + "?error=invalid_scope"
                + "&error_description=OAuth%202.0%20Parameter%3A%20scope&state=st-2&iss=https%3A%2F%2Fas.example.com");
    }

    @Test
    void whenErrorBeforeRedirectUriMatchedThenErrorPageAndNoRedirect() throws Exception {
        responses.onAuthenticationFailure(request, response, new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: redirect_uri", null),
                codeRequest(null, "st-3")));
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getRedirectedUrl()).isNull();
        assertThat(response.getErrorMessage()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
        assertThat(request.getAttribute(AuthorizationEndpointResponses.ERROR_ATTRIBUTE))
                .isInstanceOfSatisfying(OAuth2Error.class, e -> assertThat(e.getErrorCode()).isEqualTo("invalid_request"));
    }

    @Test
    void whenFailureIsNotAnOAuthErrorThenServerErrorPageAndNoRedirect() throws Exception {
        responses.onAuthenticationFailure(request, response, new BadCredentialsException("no"));
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getRedirectedUrl()).isNull();
        assertThat(response.getErrorMessage()).isEqualTo(OAuth2ErrorCodes.SERVER_ERROR);
    }
}
