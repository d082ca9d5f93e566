package dev.ostiary.client;

import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Authorization Server's view of our client table, served from memory: every token request
 * looks its client up, often twice. Entries are dropped when a row changes, on this instance
 * directly and on every other through {@code ostiary_client} notifications. Misses are not cached,
 * so unknown client ids cannot fill the cache, and it holds at most {@code maximumSize} clients
 * (least recently used go first; a miss only costs a query), so neither can many real ones (M5).
 * Disabled clients are invisible: they get {@code invalid_client}.
 */
public class CachingRegisteredClientRepository implements RegisteredClientRepository {

    private final ClientRepository clients;
    private final Cache<String, RegisteredClient> byClientId;
    private final Cache<String, RegisteredClient> byId;
    private final UnregisteredClients unregistered;

    public CachingRegisteredClientRepository(ClientRepository clients, int maximumSize) {
        this(clients, maximumSize, null);
    }

    /** With {@code unregistered} asked for the clients the table does not have (null: none). */
    public CachingRegisteredClientRepository(ClientRepository clients, int maximumSize,
            UnregisteredClients unregistered) {
        this.clients = clients;
        this.unregistered = unregistered;
        this.byClientId = Caffeine.newBuilder().maximumSize(maximumSize).build();
        this.byId = Caffeine.newBuilder().maximumSize(maximumSize).build();
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
        RegisteredClient cached = byId.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        RegisteredClient registered = clients.findById(uuid).filter(Client::isEnabled).map(this::remember)
                .orElse(null);
        return registered != null || unregistered == null ? registered : unregistered.findById(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        RegisteredClient cached = byClientId.getIfPresent(clientId);
        if (cached != null) {
            return cached;
        }
        if (!plausibleClientId(clientId)) {
            // not worth a query, and PostgreSQL refuses NUL characters outright
            return null;
        }
        RegisteredClient registered = clients.findByClientId(clientId).filter(Client::isEnabled)
                .map(this::remember).orElse(null);
        // unregistered clients keep their own cache, with their documents' lifetimes
        return registered != null || unregistered == null ? registered : unregistered.findByClientId(clientId);
    }

    private static boolean plausibleClientId(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 200) {
            return false;
        }
        return clientId.chars().noneMatch(Character::isISOControl);
    }

    /** Forgets one client, after its row changed. */
    public void evict(String clientId) {
        RegisteredClient removed = byClientId.asMap().remove(clientId);
        if (removed != null) {
            byId.invalidate(removed.getId());
        }
        byId.asMap().values().removeIf(c -> c.getClientId().equals(clientId));
    }

    /** Forgets every client, when changes may have been missed. */
    public void evictAll() {
        byClientId.invalidateAll();
        byId.invalidateAll();
    }

    private RegisteredClient remember(Client client) {
        RegisteredClient registered = RegisteredClients.from(client);
        byClientId.put(registered.getClientId(), registered);
        byId.put(registered.getId(), registered);
        return registered;
    }
}
