package dev.ostiary.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class ServerMetadataTest {

    private static Map<String, Object> springDefaults() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("issuer", "https://id.example.com");
        claims.put("grant_types_supported", new LinkedList<>(List.of("authorization_code", "client_credentials",
                "refresh_token")));
        claims.put("response_types_supported", new LinkedList<>(List.of("code")));
        claims.put("token_endpoint_auth_methods_supported", new LinkedList<>(List.of("client_secret_basic",
                "tls_client_auth")));
        return claims;
    }

    @Test
    void whenAdvertisedThenRegistrationEndpointAndIssParameterAreSet() {
        Map<String, Object> claims = springDefaults();

        ServerMetadata.advertise(claims, GrantFixtures.grants());

        assertThat(claims).containsEntry("registration_endpoint", "https://id.example.com/oauth2/register")
                .containsEntry("authorization_response_iss_parameter_supported", true);
    }

    @Test
    void whenAdvertisedThenOnlyTheMethodsClientsMayRegisterAreListedInOrder() {
        Map<String, Object> claims = springDefaults();

        ServerMetadata.advertise(claims, GrantFixtures.grants());

        assertThat(claims.get("token_endpoint_auth_methods_supported")).isEqualTo(List.of("client_secret_basic",
                "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"));
    }

    @Test
    void whenAdvertisedThenLegacyGrantsFollowSpringsOwn() {
        Map<String, Object> claims = springDefaults();

        ServerMetadata.advertise(claims, GrantFixtures.grants());

        assertThat(claims.get("grant_types_supported")).isEqualTo(List.of("authorization_code",
                "client_credentials", "refresh_token", "password", "implicit"));
        assertThat(claims.get("response_types_supported")).isEqualTo(List.of("code", "token"));
    }

    @Test
    void whenAdvertisedThenWhatIsNotOfferedIsTakenOutAndParIsDeliberate() {
        Map<String, Object> claims = springDefaults();
        claims.put("grant_types_supported", new LinkedList<>(List.of("authorization_code", "client_credentials",
                "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange")));
        claims.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "tls_client_auth"));
        claims.put("tls_client_certificate_bound_access_tokens", true);

        ServerMetadata.advertise(claims, GrantFixtures.grants());

        assertThat(claims.get("grant_types_supported")).isEqualTo(List.of("authorization_code",
                "client_credentials", "refresh_token", "password", "implicit"));
        assertThat(claims.get("introspection_endpoint_auth_methods_supported")).isEqualTo(List.of(
                "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"));
        assertThat(claims.get("revocation_endpoint_auth_methods_supported")).isEqualTo(
                claims.get("introspection_endpoint_auth_methods_supported"));
        assertThat(claims).doesNotContainKey("tls_client_certificate_bound_access_tokens")
                .containsEntry("pushed_authorization_request_endpoint", "https://id.example.com/oauth2/par")
                .containsEntry("require_pushed_authorization_requests", false)
                .containsEntry("request_parameter_supported", true)
                .containsEntry("request_uri_parameter_supported", false)
                .containsEntry("request_object_signing_alg_values_supported", List.of("ES256", "PS256", "RS256"))
                .containsEntry("require_signed_request_object", false);
    }
}
