package dev.ostiary.client;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Authorization Server's view of our client table, served from memory: every token request
 * looks its client up, often twice. Entries are dropped when a row changes, on this instance
 * directly and on every other through {@code ostiary_client} notifications. Misses are not cached,
 * so unknown client ids cannot fill the cache. Disabled clients are invisible: they get
 * {@code invalid_client}.
 */
public class CachingRegisteredClientRepository implements RegisteredClientRepository {

    private final ClientRepository clients;
    private final Map<String, RegisteredClient> byClientId = new ConcurrentHashMap<>();
    private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();

    public CachingRegisteredClientRepository(ClientRepository clients) {
        this.clients = clients;
    }

    @Override
    @Transactional
    public void save(RegisteredClient registeredClient) {
        Client client = clients.findById(UUID.fromString(registeredClient.getId()))
                .orElseGet(() -> new Client(registeredClient.getClientId(), registeredClient.getClientName()));
        RegisteredClients.copyInto(registeredClient, client);
        clients.save(client);
        evict(registeredClient.getClientId());
    }

    @Override
    public RegisteredClient findById(String id) {
        RegisteredClient cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return clients.findById(uuid).filter(Client::isEnabled).map(this::remember).orElse(null);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        RegisteredClient cached = byClientId.get(clientId);
        if (cached != null) {
            return cached;
        }
        if (!plausibleClientId(clientId)) {
            // not worth a query, and PostgreSQL refuses NUL characters outright
            return null;
        }
        return clients.findByClientId(clientId).filter(Client::isEnabled).map(this::remember).orElse(null);
    }

    private static boolean plausibleClientId(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 200) {
            return false;
        }
        return clientId.chars().noneMatch(Character::isISOControl);
    }

    /** Forgets one client, after its row changed. */
    public void evict(String clientId) {
        RegisteredClient removed = byClientId.remove(clientId);
        if (removed != null) {
            byId.remove(removed.getId());
        }
        byId.values().removeIf(c -> c.getClientId().equals(clientId));
    }

    /** Forgets every client, when changes may have been missed. */
    public void evictAll() {
        byClientId.clear();
        byId.clear();
    }

    private RegisteredClient remember(Client client) {
        RegisteredClient registered = RegisteredClients.from(client);
        byClientId.put(registered.getClientId(), registered);
        byId.put(registered.getId(), registered);
        return registered;
    }
}
