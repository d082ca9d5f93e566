package dev.ostiary.client;

import java.time.Duration;
import java.util.Set;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.ostiary.keys.SigningAlgorithm;

/**
 * Typed access to the settings Ostiary adds to Spring's {@link RegisteredClient} (kept in its
 * client and token settings maps under {@code ostiary.*} names).
 */
public final class OstiaryClientSettings {

    static final String SERVICE_ROLES = "ostiary.client.service-roles";
    static final String INTROSPECTION_ALLOWED = "ostiary.client.introspection-allowed";
    static final String IMPLICIT_TOKEN_TTL = "ostiary.token.implicit-access-token-time-to-live";
    static final String ACCESS_TOKEN_ALGORITHM = "ostiary.token.access-token-signing-algorithm";
    static final String REQUIRE_DPOP = "ostiary.client.require-dpop";
    static final String INLINE_JWKS = "ostiary.client.jwks";
    static final String THIRD_PARTY = "ostiary.client.third-party";
    static final String OWNER = "ostiary.client.owner";
    static final String TOKEN_EXCHANGE = "ostiary.client.token-exchange";
    static final String METADATA_DOCUMENT_HOST = "ostiary.client.metadata-document-host";
    static final String REQUIRE_PAR = "ostiary.client.require-pushed-authorization-requests";
    static final String REQUIRE_SIGNED_REQUEST_OBJECT = "ostiary.client.require-signed-request-object";
    static final String FAPI2 = "ostiary.client.fapi2";
    static final String RESOURCES = "ostiary.client.resources";
    static final String REQUIRE_SECOND_FACTOR = "ostiary.client.require-second-factor";

    private OstiaryClientSettings() {
    }

    /** Roles the client holds for itself: they go into client_credentials tokens' {@code roles}. */
    @SuppressWarnings("unchecked")
    public static Set<String> serviceRoles(RegisteredClient client) {
        Set<String> roles = client.getClientSettings().getSetting(SERVICE_ROLES);
        return roles == null ? Set.of() : roles;
    }

    /** The user who registered the client on the self-service page, or null for an admin's client. */
    public static String owner(RegisteredClient client) {
        return client.getClientSettings().getSetting(OWNER);
    }

    public static boolean introspectionAllowed(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(INTROSPECTION_ALLOWED));
    }

    public static Duration implicitAccessTokenTimeToLive(RegisteredClient client) {
        Duration ttl = client.getTokenSettings().getSetting(IMPLICIT_TOKEN_TTL);
        return ttl == null ? Duration.ofMinutes(5) : ttl;
    }

    /** Whether every token request of this client must carry a DPoP proof. */
    public static boolean requireDpop(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_DPOP));
    }

    /** The client's public keys given inline (a JWKS document), for private_key_jwt; null when by URL or none. */
    public static String inlineJwks(RegisteredClient client) {
        return client.getClientSettings().getSetting(INLINE_JWKS);
    }

    /** Registered by a user or by dynamic registration, not by an administrator: unverified (review M6). */
    public static boolean thirdParty(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(THIRD_PARTY));
    }

    /** The resources (RFC 8707) the client may name with {@code resource}; a token's {@code aud} is among them. */
    public static Set<String> resources(RegisteredClient client) {
        Set<String> resources = client.getClientSettings().getSetting(RESOURCES);
        return resources == null ? Set.of() : resources;
    }

    public static SigningAlgorithm accessTokenSigningAlgorithm(RegisteredClient client) {
        SigningAlgorithm algorithm = client.getTokenSettings().getSetting(ACCESS_TOKEN_ALGORITHM);
        return algorithm == null ? SigningAlgorithm.RS256 : algorithm;
    }

    /** What the client may exchange with the token-exchange grant (RFC 8693); nothing if not set. */
    public static TokenExchangePolicy tokenExchange(RegisteredClient client) {
        TokenExchangePolicy policy = client.getClientSettings().getSetting(TOKEN_EXCHANGE);
        return policy == null ? TokenExchangePolicy.NONE : policy;
    }

    /**
     * Marks a client synthesized from a Client ID Metadata Document: third party (consent is always
     * asked), its details from {@code host}, redirect URIs matched exactly; with its inline keys, if any.
     */
    public static ClientSettings.Builder fromMetadataDocument(ClientSettings.Builder settings, String host,
            String inlineJwks) {
        settings.setting(THIRD_PARTY, true).setting(METADATA_DOCUMENT_HOST, host);
        return inlineJwks == null ? settings : settings.setting(INLINE_JWKS, inlineJwks);
    }

    /** The host whose metadata document describes this unregistered client, or null for a registered one. */
    public static String metadataDocumentHost(RegisteredClient client) {
        return client.getClientSettings().getSetting(METADATA_DOCUMENT_HOST);
    }

    /** Authorization requests only by a pushed request's {@code request_uri} (RFC 9126 §5); FAPI 2.0 implies it. */
    public static boolean requirePushedAuthorizationRequests(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_PAR));
    }

    /** Authorization requests only as signed request objects (RFC 9101 §10.5). */
    public static boolean requireSignedRequestObject(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_SIGNED_REQUEST_OBJECT));
    }

    /** The FAPI 2.0 Security Profile (docs/fapi.md). */
    public static boolean fapi2(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(FAPI2));
    }

    /** Sign-ins for this client need a second factor: acr {@code urn:ostiary:loa:2} (stepup/SecondFactorPolicy). */
    public static boolean requireSecondFactor(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_SECOND_FACTOR));
    }
}
