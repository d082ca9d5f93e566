package dev.ostiary.grant.clientcredentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestResources;

/** The client credentials grant's scope rules: defaults and role requirements (an admin's client: no database). */
@Tag("unit")
class ClientCredentialsScopeRulesTest {

    private final ServiceRoles serviceRoles = new ServiceRoles(null);
    private final ClientCredentialsDefaultScopes defaults = new ClientCredentialsDefaultScopes(GrantFixtures.scopes(),
            serviceRoles, TestResources.indicators());
    private final ClientCredentialsRoleScopes roleScopes = new ClientCredentialsRoleScopes(GrantFixtures.scopes(),
            serviceRoles, TestResources.indicators());

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void convertWhenNoScopeRequestedThenEveryRegisteredScopeTheServiceRolesAllow() {
        OAuth2ClientCredentialsAuthenticationToken token = convert(GrantFixtures.serviceClient().build(), null);

        assertThat(token.getScopes()).containsExactly("read");
    }

    @Test
    void convertWhenScopeRequestedThenLeftAsRequested() {
        OAuth2ClientCredentialsAuthenticationToken token = convert(GrantFixtures.serviceClient().build(), "write");

        assertThat(token.getScopes()).containsExactly("write");
    }

    @Test
    void validateWhenScopeNeedsARoleTheClientLacksThenInvalidScope() {
        assertThatExceptionOfType(OAuth2AuthenticationException.class)
                .isThrownBy(() -> roleScopes.accept(context(GrantFixtures.serviceClient().build(), "read", "write")))
                .satisfies(e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_SCOPE);
                    assertThat(e.getError().getDescription())
                            .isEqualTo("The client's service roles do not allow scope: write");
                });
    }

    @Test
    void validateWhenScopeNotRegisteredThenInvalidScopeAsSpringSays() {
        assertThatExceptionOfType(OAuth2AuthenticationException.class)
                .isThrownBy(() -> roleScopes.accept(context(GrantFixtures.serviceClient("WRITER").build(), "admin")))
                .satisfies(e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_SCOPE));
    }

    @Test
    void validateWhenServiceRolesAllowEveryScopeThenAccepted() {
        assertThatNoException().isThrownBy(() -> roleScopes.accept(
                context(GrantFixtures.serviceClient("WRITER").build(), "read", "write")));
    }

    private OAuth2ClientCredentialsAuthenticationToken convert(RegisteredClient client, String scope) {
        SecurityContextHolder.getContext().setAuthentication(GrantFixtures.authenticated(client));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setParameter("grant_type", "client_credentials");
        if (scope != null) {
            request.setParameter("scope", scope);
        }
        return (OAuth2ClientCredentialsAuthenticationToken) defaults.convert(request);
    }

    private static OAuth2ClientCredentialsAuthenticationContext context(RegisteredClient client, String... scopes) {
        OAuth2ClientCredentialsAuthenticationToken token = new OAuth2ClientCredentialsAuthenticationToken(
                GrantFixtures.authenticated(client), Set.of(scopes), Map.of());
        return OAuth2ClientCredentialsAuthenticationContext.with(token).registeredClient(client).build();
    }
}
