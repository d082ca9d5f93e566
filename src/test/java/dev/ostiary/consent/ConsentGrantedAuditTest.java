package dev.ostiary.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

@Tag("unit")
class ConsentGrantedAuditTest {

    private final List<Object> published = new ArrayList<>();
    private final ConsentGrantedAudit audit = new ConsentGrantedAudit(published::add);

    private static RegisteredClient client() {
        return RegisteredClient.withId("1").clientId("web-app")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("https://app.example.com/callback").scope("profile").scope("orders:read").build();
    }

    private static OAuth2AuthorizationConsentAuthenticationContext consentTo(String... authorities) {
        RegisteredClient client = client();
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri("https://id.example.com/oauth2/authorize").clientId(client.getClientId()).build();
        OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(client).principalName("alice")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).build();
        OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(client.getId(), "alice");
        for (String authority : authorities) {
            consent.authority(new SimpleGrantedAuthority(authority));
        }
        OAuth2AuthorizationConsentAuthenticationToken token = new OAuth2AuthorizationConsentAuthenticationToken(
                "https://id.example.com/oauth2/authorize", client.getClientId(),
                new TestingAuthenticationToken("alice", null), "state", Set.of(), Map.of());
        return OAuth2AuthorizationConsentAuthenticationContext.with(token).authorizationConsent(consent)
                .registeredClient(client).authorization(authorization).authorizationRequest(request).build();
    }

    @Test
    void whenScopesApprovedThenConsentGrantedIsPublishedWithTheScopeNames() {
        audit.accept(consentTo("SCOPE_profile", "SCOPE_orders:read"));

        assertThat(published).singleElement().isInstanceOfSatisfying(AuditEvent.class, event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.CONSENT_GRANTED);
            assertThat(event.clientId()).isEqualTo("web-app");
            assertThat(event.username()).isEqualTo("alice");
            // Spring keeps a consent's authorities in a set: the order is not defined
            assertThat(((String) event.details().get("scopes")).split(" ")).containsExactlyInAnyOrder("profile",
                    "orders:read");
        });
    }

    @Test
    void whenNothingApprovedThenNothingIsPublished() {
        audit.accept(consentTo());

        assertThat(published).isEmpty();
    }
}
