package dev.ostiary.grant.implicit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;

import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class ImplicitAuthorizationRequestConverterTest {

    private final ImplicitAuthorizationRequestConverter converter = new ImplicitAuthorizationRequestConverter(
            new InMemoryRegisteredClientRepository(GrantFixtures.implicitClient().build()));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void convertWhenResponseTypeIsCodeThenNull() {
        MockHttpServletRequest request = authorizationRequest();
        request.setParameter("response_type", "code");

        assertThat(converter.convert(request)).isNull();
    }

    @Test
    void convertWhenClientUnknownThenInvalidRequestNotSentToAnyRedirectUri() {
        MockHttpServletRequest request = authorizationRequest();
        request.setParameter("client_id", "nobody");

        assertThatExceptionOfType(ImplicitAuthorizationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).isEqualTo("OAuth 2.0 Parameter: client_id");
                    assertThat(e.getRedirectUri()).isNull();
                });
    }

    @Test
    void convertWhenRedirectUriNotRegisteredExactlyThenInvalidRequestNotSentToAnyRedirectUri() {
        MockHttpServletRequest request = authorizationRequest();
        request.setParameter("redirect_uri", GrantFixtures.REDIRECT_URI + "/");

        assertThatExceptionOfType(ImplicitAuthorizationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).isEqualTo("OAuth 2.0 Parameter: redirect_uri");
                    assertThat(e.getRedirectUri()).isNull();
                });
    }

    @Test
    void convertWhenNoRedirectUriAndOneRegisteredThenTheRegisteredOne() {
        MockHttpServletRequest request = authorizationRequest();
        request.removeParameter("redirect_uri");

        ImplicitAuthorizationRequestToken token = (ImplicitAuthorizationRequestToken) converter.convert(request);

        assertThat(token.getRedirectUri()).isEqualTo(GrantFixtures.REDIRECT_URI);
    }

    @Test
    void convertWhenScopeRepeatedThenInvalidRequestSentToTheRedirectUri() {
        MockHttpServletRequest request = authorizationRequest();
        request.addParameter("scope", "read");
        request.addParameter("scope", "write");

        assertThatExceptionOfType(ImplicitAuthorizationException.class).isThrownBy(() -> converter.convert(request))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
                    assertThat(e.getError().getDescription()).isEqualTo("OAuth 2.0 Parameter: scope");
                    assertThat(e.getRedirectUri()).isEqualTo(GrantFixtures.REDIRECT_URI);
                    assertThat(e.getState()).isEqualTo("xyz");
                });
    }

    @Test
    void convertWhenValidBeforeLoginThenAnonymousRequestWithScopesAndState() {
        MockHttpServletRequest request = authorizationRequest();
        request.setParameter("scope", "read write");
        request.setParameter("nonce", "n-1");

        ImplicitAuthorizationRequestToken token = (ImplicitAuthorizationRequestToken) converter.convert(request);

        assertThat(token.getClientId()).isEqualTo("spa");
        assertThat(token.getScopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(token.getState()).isEqualTo("xyz");
        assertThat(token.getPrincipal()).isInstanceOf(AnonymousAuthenticationToken.class);
        assertThat(token.getAdditionalParameters()).containsOnlyKeys("nonce");
    }

    @Test
    void convertWhenUserSignedInThenTheUserIsThePrincipal() {
        SecurityContextHolder.getContext().setAuthentication(GrantFixtures.user("alice"));

        ImplicitAuthorizationRequestToken token = (ImplicitAuthorizationRequestToken) converter.convert(
                authorizationRequest());

        assertThat(token.getPrincipal()).isSameAs(SecurityContextHolder.getContext().getAuthentication());
    }

    private static MockHttpServletRequest authorizationRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorize");
        request.setParameter("response_type", "token");
        request.setParameter("client_id", "spa");
        request.setParameter("redirect_uri", GrantFixtures.REDIRECT_URI);
        request.setParameter("state", "xyz");
        return request;
    }
}
