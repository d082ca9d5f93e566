package dev.ostiary.grant.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;

import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class TokenExchangeRequestConverterTest {

    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private final TokenExchangeRequestConverter converter = new TokenExchangeRequestConverter();

    @BeforeEach
    void authenticatedClient() {
        SecurityContextHolder.getContext().setAuthentication(
                GrantFixtures.authenticated(GrantFixtures.serviceClient().build()));
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static MockHttpServletRequest exchange() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setParameter("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        request.setParameter("subject_token", "eyJ.subject.token");
        request.setParameter("subject_token_type", ACCESS_TOKEN);
        return request;
    }

    @Test
    void convertWhenAnotherGrantThenNull() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setParameter("grant_type", "client_credentials");

        assertThat(converter.convert(request)).isNull();
    }

    @Test
    void convertWhenAccessTokensThenSpringsRequestWithTheAudiences() {
        MockHttpServletRequest request = exchange();
        request.addParameter("audience", "demo-api", "other-api");
        request.setParameter("requested_token_type", ACCESS_TOKEN);

        OAuth2TokenExchangeAuthenticationToken converted = (OAuth2TokenExchangeAuthenticationToken) converter
                .convert(request);

        assertThat(converted.getSubjectToken()).isEqualTo("eyJ.subject.token");
        assertThat(converted.getRequestedTokenType()).isEqualTo(ACCESS_TOKEN);
        assertThat(converted.getAudiences()).containsExactly("demo-api", "other-api");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "requested_token_type, urn:ietf:params:oauth:token-type:refresh_token",
            "requested_token_type, urn:ietf:params:oauth:token-type:jwt",
            "requested_token_type, urn:ietf:params:oauth:token-type:id_token",
            "subject_token_type, urn:ietf:params:oauth:token-type:jwt",
            "subject_token_type, urn:ietf:params:oauth:token-type:refresh_token",
            "actor_token_type, urn:ietf:params:oauth:token-type:id_token" })
    void convertWhenATokenTypeOtherThanAccessTokenThenInvalidRequest(String name, String value) {
        MockHttpServletRequest request = exchange();
        request.setParameter("actor_token", "eyJ.actor.token");
        request.setParameter("actor_token_type", ACCESS_TOKEN);
        request.setParameter(name, value);

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo("invalid_request");
                    assertThat(e.getError().getDescription()).isEqualTo(name + " must be " + ACCESS_TOKEN);
                });
    }

    @Test
    void convertWhenNoSubjectTokenTypeThenInvalidRequest() {
        MockHttpServletRequest request = exchange();
        request.removeParameter("subject_token_type");

        assertThatExceptionOfType(OAuth2AuthenticationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_request"));
    }
}
