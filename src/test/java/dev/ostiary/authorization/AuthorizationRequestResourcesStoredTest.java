package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.resource.ResourceIndicators;

/**
 * RFC 8707 §2.2: the {@code resource} values of the authorization request are what the code's and
 * its refresh tokens' requests may narrow, so they must survive the row: one value (a String) and
 * several (Spring's converters keep a String[]), and the password grant's own attribute.
 */
@Tag("unit")
class AuthorizationRequestResourcesStoredTest {

    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private final RegisteredClient client = RegisteredClient.withId("0b7e3c1e-4a8f-4a43-9d3b-6a3f7f0c2d12")
            .clientId("web-app").clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("https://app.example/callback").scope("read").build();
    private final AuthorizationRows rows = new AuthorizationRows(new InMemoryRegisteredClientRepository(client),
            AuthorizationRows.securityJson());

    private OAuth2Authorization readBack(Object resource, String granted) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("resource", resource);
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri("https://issuer.example/oauth2/authorize").clientId("web-app")
                .redirectUri("https://app.example/callback").scopes(Set.of("read")).state("s")
                .additionalParameters(parameters).build();
        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .id("authorization-r").principalName("alice")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).authorizedScopes(Set.of("read"))
                .attribute(OAuth2AuthorizationRequest.class.getName(), request)
                .token(new OAuth2AuthorizationCode("code-r", NOW, NOW.plusSeconds(60)));
        if (granted != null) {
            authorization.attribute(ResourceIndicators.GRANTED_ATTRIBUTE, granted);
        }
        return rows.authorizationOf(rows.columnsOf(authorization.build(), NOW),
                FoundBy.digestOf(AuthorizationColumns.CODE_HASH, "code-r"));
    }

    private static Set<String> resourcesOf(OAuth2Authorization read) {
        OAuth2AuthorizationRequest request = read.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return ResourceIndicators.requested(request.getAdditionalParameters());
    }

    @Test
    void whenOneResourceThenReadBack() {
        assertThat(resourcesOf(readBack("https://api.example", null))).containsExactly("https://api.example");
    }

    @Test
    void whenSeveralResourcesThenReadBackInOrder() {
        assertThat(resourcesOf(readBack(new String[] { "https://b.example", "https://a.example" }, null)))
                .containsExactly("https://b.example", "https://a.example");
    }

    @Test
    void whenGrantedAttributeThenReadBack() {
        OAuth2Authorization read = readBack("https://api.example", "https://a.example https://b.example");
        assertThat(ResourceIndicators.parseGranted(read.getAttribute(ResourceIndicators.GRANTED_ATTRIBUTE)))
                .containsExactly("https://a.example", "https://b.example");
    }
}
