package dev.ostiary.grant.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class PasswordGrantAuthenticationConverterTest {

    private final PasswordGrantAuthenticationConverter converter = new PasswordGrantAuthenticationConverter();
    private final OAuth2ClientAuthenticationToken client = GrantFixtures.authenticated(
            GrantFixtures.passwordClient().build());

    @BeforeEach
    void clientAuthenticated() {
        SecurityContextHolder.getContext().setAuthentication(client);
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void convertWhenGrantTypeIsNotPasswordThenNull() {
        MockHttpServletRequest request = tokenRequest();
        request.setParameter("grant_type", "client_credentials");

        assertThat(converter.convert(request)).isNull();
    }

    @Test
    void convertWhenPasswordInQueryStringThenInvalidRequest() {
        MockHttpServletRequest request = passwordRequest();
        request.setQueryString("pass%77ord=secret");

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription())
                            .isEqualTo("Resource owner credentials must be sent in the request body");
                });
    }

    @Test
    void convertWhenUsernameMissingThenInvalidRequest() {
        MockHttpServletRequest request = tokenRequest();
        request.setParameter("grant_type", "password");
        request.setParameter("password", "right");

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).isEqualTo("OAuth 2.0 Parameter: username");
                });
    }

    @Test
    void convertWhenScopeRepeatedThenInvalidRequest() {
        MockHttpServletRequest request = passwordRequest();
        request.addParameter("scope", "read");
        request.addParameter("scope", "write");

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).isEqualTo("OAuth 2.0 Parameter: scope (repeated)");
                });
    }

    @Test
    void convertWhenDPoPHeaderRepeatedThenInvalidRequest() {
        MockHttpServletRequest request = passwordRequest();
        request.addHeader("DPoP", "first");
        request.addHeader("DPoP", "second");

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST));
    }

    @Test
    void convertWhenValidThenGrantWithCredentialsScopesAndProof() {
        MockHttpServletRequest request = passwordRequest();
        request.setParameter("scope", "read write");
        request.setParameter("dpop_proof", "from-the-body");
        request.addHeader("DPoP", "proof");

        PasswordGrantAuthenticationToken grant = (PasswordGrantAuthenticationToken) converter.convert(request);

        assertThat(grant.getUsername()).isEqualTo("alice");
        assertThat(grant.getPassword()).isEqualTo("right");
        assertThat(grant.getScopes()).containsExactly("read", "write");
        assertThat(grant.getPrincipal()).isSameAs(client);
        // a proof comes from the DPoP header only (RFC 9449 §4.1)
        assertThat(grant.getAdditionalParameters()).containsEntry("dpop_proof", "proof")
                .containsEntry("dpop_method", "POST")
                .containsEntry("dpop_target_uri", "http://localhost/oauth2/token");
    }

    private static MockHttpServletRequest passwordRequest() {
        MockHttpServletRequest request = tokenRequest();
        request.setParameter("grant_type", "password");
        request.setParameter("username", "alice");
        request.setParameter("password", "right");
        return request;
    }

    private static MockHttpServletRequest tokenRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setContentType("application/x-www-form-urlencoded");
        return request;
    }
}
