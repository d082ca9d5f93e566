package dev.ostiary.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadataClaimNames;

import dev.ostiary.client.ClientRules;
import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.Grants;
import dev.ostiary.jar.RequestObjectVerifier;
import dev.ostiary.stepup.SignInLevel;

/**
 * What Ostiary adds to the two discovery documents Spring Authorization Server builds, the OAuth
 * metadata (RFC 8414 §2) and the OpenID provider configuration (OpenID Connect Discovery 1.0 §3).
 * One method serves both, so they cannot drift apart. It works on the claims map that both builders
 * hand out ({@code claims(Consumer<Map<String, Object>>)}): their common superclass,
 * {@code AbstractOAuth2AuthorizationServerMetadata.AbstractBuilder}, is a protected type that code
 * outside Spring's subclasses cannot name.
 */
public final class ServerMetadata {

    /** Where dynamic registration answers (RFC 7591 §3); its chain matches the same path. */
    public static final String REGISTRATION_PATH = "/oauth2/register";
    /** Where pushed authorization requests go (RFC 9126 §2): Spring's default, which we keep. */
    public static final String PUSHED_AUTHORIZATION_REQUEST_PATH = "/oauth2/par";
    /** RFC 9207 §3: {@code iss} is in every authorization response. */
    private static final String ISS_PARAMETER_SUPPORTED = "authorization_response_iss_parameter_supported";
    /** draft-ietf-oauth-client-id-metadata-document §5: an https client_id is resolved by its document. */
    private static final String CLIENT_ID_METADATA_DOCUMENT_SUPPORTED = "client_id_metadata_document_supported";

    private ServerMetadata() {
    }

    /**
     * Sets {@code registration_endpoint} (our own endpoint, which Spring does not know),
     * {@code token_endpoint_auth_methods_supported} to the methods clients may register with
     * ({@link ClientRules#AUTH_METHODS}: Spring would also list mTLS methods we do not offer), and
     * {@code authorization_response_iss_parameter_supported} (RFC 9207 §3); adds the registered grants
     * Spring does not list itself ({@link Grants#advertise}: {@code password}, implicit with
     * {@code response_type=token}).
     *
     * @param claims a discovery document's claims, as either builder's {@code claims(...)} gives them
     */
    public static void advertise(Map<String, Object> claims, Grants grants) {
        claims.put(OAuth2AuthorizationServerMetadataClaimNames.REGISTRATION_ENDPOINT,
                claims.get(OAuth2AuthorizationServerMetadataClaimNames.ISSUER) + REGISTRATION_PATH);
        claims.put(OAuth2AuthorizationServerMetadataClaimNames.TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
                List.copyOf(ClientRules.AUTH_METHODS));
        grants.advertise(claims);
        claims.put(ISS_PARAMETER_SUPPORTED, true);
        // OpenID Connect Back-Channel Logout 1.0 §2.1: logout tokens to clients' backchannel_logout_uri, with sid
        claims.put("backchannel_logout_supported", true);
        claims.put("backchannel_logout_session_supported", true);
        // OIDC Discovery §3 / RFC 8414 (as RFC 9470 §5 asks): the levels acr_values may name, weakest first
        claims.put("acr_values_supported", SignInLevel.SUPPORTED);
        exactly(claims, grants);
    }

    /** Lists Client ID Metadata Documents exactly when they are resolved ({@code ostiary.client-id-metadata.enabled}). */
    public static void clientIdMetadataDocuments(Map<String, Object> claims, boolean supported) {
        if (supported) {
            claims.put(CLIENT_ID_METADATA_DOCUMENT_SUPPORTED, true);
        }
    }

    /**
     * What Spring lists but Ostiary does not offer, taken out, so that discovery says exactly what
     * works (issue 15): grants not in the registry (Spring lists token exchange whether or not a client
     * could ever be allowed it), TLS client authentication and certificate-bound tokens (RFC 8705:
     * no TLS client certificates are configured), and public clients ({@code none}) at introspection
     * and revocation, which authenticate nobody. Pushed authorization requests (RFC 9126 §5) are
     * advertised deliberately, and required per client only, never server-wide.
     */
    private static void exactly(Map<String, Object> claims, Grants grants) {
        keepOnly(claims, OAuth2AuthorizationServerMetadataClaimNames.GRANT_TYPES_SUPPORTED, grants.names());
        keepOnly(claims, OAuth2AuthorizationServerMetadataClaimNames.RESPONSE_TYPES_SUPPORTED,
                grants.all().stream().map(GrantRegistration::responseType).filter(Objects::nonNull)
                        .collect(Collectors.toSet()));
        List<String> authenticating = ClientRules.AUTH_METHODS.stream().filter(m -> !"none".equals(m)).toList();
        claims.put(OAuth2AuthorizationServerMetadataClaimNames.INTROSPECTION_ENDPOINT_AUTH_METHODS_SUPPORTED,
                authenticating);
        claims.put(OAuth2AuthorizationServerMetadataClaimNames.REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED,
                authenticating);
        claims.remove(OAuth2AuthorizationServerMetadataClaimNames.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS);
        claims.put(OAuth2AuthorizationServerMetadataClaimNames.PUSHED_AUTHORIZATION_REQUEST_ENDPOINT,
                claims.get(OAuth2AuthorizationServerMetadataClaimNames.ISSUER) + PUSHED_AUTHORIZATION_REQUEST_PATH);
        claims.put("require_pushed_authorization_requests", false);
        // RFC 9101 §10 / OIDC Discovery §3: signed request objects by value; by reference only our own
        // PAR URNs (advertised by the PAR endpoint above), never a fetched URL: so request_uri_parameter_supported
        // is false (OIDC Discovery defaults it to true when omitted). Signing is required per client only.
        claims.put("request_parameter_supported", true);
        claims.put("request_uri_parameter_supported", false);
        claims.put("request_object_signing_alg_values_supported",
                RequestObjectVerifier.ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList());
        claims.put("require_signed_request_object", false);
    }

    private static void keepOnly(Map<String, Object> claims, String name, Set<String> supported) {
        if (claims.get(name) instanceof List<?> listed) {
            claims.put(name, listed.stream().filter(supported::contains).toList());
        }
    }
}
