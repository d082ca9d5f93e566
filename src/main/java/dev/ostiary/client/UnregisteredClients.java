package dev.ostiary.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Clients that are not in the client table but are described elsewhere (Client ID Metadata
 * Documents, package {@code clientmetadata}): asked only after the table had no such client, so a
 * registered client always wins. Each method returns null for a client it does not know.
 */
public interface UnregisteredClients {

    RegisteredClient findByClientId(String clientId);

    RegisteredClient findById(String id);
}
