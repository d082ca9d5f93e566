package dev.ostiary.client;

import java.net.URI;
import java.util.Set;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What the login and consent pages say about the client that is asking (review M6): its name alone
 * proves nothing, so the pages also show where the user will be sent, and for a client that an
 * administrator did not register, who registered it and that nobody verified it.
 *
 * @param name the client's name, as registered
 * @param redirectHost the host the answer goes to (the request's redirect URI, or the client's only one)
 * @param thirdParty registered by a user or by dynamic registration, not verified
 * @param registeredBy who registered it, for third parties: a user name, or "dynamic registration"
 * @param unregisteredHost for a client nobody registered, the host its metadata document came from
 */
public record ClientIdentity(String name, String redirectHost, boolean thirdParty, String registeredBy,
        String unregisteredHost) {

    /** {@code redirectUri} is used only when the client registered it; otherwise its only one, if any. */
    public static ClientIdentity of(RegisteredClient client, String redirectUri) {
        Set<String> registered = client.getRedirectUris();
        String target = redirectUri != null && registered.contains(redirectUri) ? redirectUri
                : registered.size() == 1 ? registered.iterator().next() : null;
        boolean thirdParty = OstiaryClientSettings.thirdParty(client);
        String owner = OstiaryClientSettings.owner(client);
        String documentHost = OstiaryClientSettings.metadataDocumentHost(client);
        return new ClientIdentity(client.getClientName(), host(target), thirdParty,
                !thirdParty || documentHost != null ? null : owner != null ? owner : "dynamic registration",
                documentHost);
    }

    private static String host(String uri) {
        if (uri == null) {
            return null;
        }
        try {
            URI parsed = URI.create(uri);
            if (parsed.getHost() != null) {
                return parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort());
            }
            // a native app's private-use scheme (RFC 8252 §7.1): the scheme says which app
            return parsed.getScheme() + ":";
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
