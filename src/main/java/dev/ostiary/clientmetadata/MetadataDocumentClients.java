package dev.ostiary.clientmetadata;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.client.UnregisteredClients;
import dev.ostiary.fetch.PinnedResourceRetriever;

/**
 * Clients nobody registered, described by the document at their {@code client_id} URL
 * (draft-ietf-oauth-client-id-metadata-document §4): fetched with the one safe fetcher (SSRF rules,
 * size and time limits, no redirects), validated, and kept for the document's lifetime within bounds.
 * A failure is kept for the least lifetime, so one URL is not fetched on every request. Every fetch is
 * audited: fetched, failed (network, HTTP status, size) or refused (the URL or the document breaks a
 * rule). A client that cannot be resolved is unknown: {@code invalid_client} at the token endpoint,
 * the error page at the authorization endpoint, never a redirect.
 */
public final class MetadataDocumentClients implements UnregisteredClients {

    /** Documents are fetched at most once per URL at a time; a failed one is cached as absent. */
    private record Resolution(RegisteredClient client, Instant expiresAt) {
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("//[^/?#]*@");

    private final ClientIdUrls urls;
    private final PinnedResourceRetriever fetcher;
    private final KnownMetadataClients known;
    private final UnregisteredClientShape shape;
    private final CacheLifetime lifetime;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Cache<String, Resolution> resolved;
    private final ConcurrentHashMap<String, ReentrantLock> fetching = new ConcurrentHashMap<>();

    MetadataDocumentClients(ClientIdMetadataProperties properties, PinnedResourceRetriever fetcher,
            KnownMetadataClients known, ApplicationEventPublisher events, Clock clock) {
        this.urls = new ClientIdUrls(properties.allowLoopback());
        this.fetcher = fetcher;
        this.known = known;
        this.shape = new UnregisteredClientShape(properties.scopes(), clock);
        this.lifetime = new CacheLifetime(properties.minCacheTtl(), properties.maxCacheTtl());
        this.events = events;
        this.clock = clock;
        this.resolved = Caffeine.newBuilder().maximumSize(properties.cacheSize()).build();
    }

    /** The id under which authorizations and consents of a document's client are stored. */
    static String idOf(String clientId) {
        return UUID.nameUUIDFromBytes(("client-id-metadata-document " + clientId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (clientId == null || !ClientIdUrls.looksLikeUrl(clientId)) {
            return null;
        }
        Resolution current = resolved.getIfPresent(clientId);
        if (current != null && clock.instant().isBefore(current.expiresAt())) {
            return current.client();
        }
        // concurrent requests for one URL wait for one fetch instead of each fetching; a lock per URL
        // (not the cache's compute, which would hold other URLs' entries during a slow fetch)
        ReentrantLock lock = fetching.computeIfAbsent(clientId, url -> new ReentrantLock());
        lock.lock();
        try {
            Resolution again = resolved.getIfPresent(clientId);
            if (again != null && clock.instant().isBefore(again.expiresAt())) {
                return again.client();
            }
            Resolution fresh = resolve(clientId);
            resolved.put(clientId, fresh);
            return fresh.client();
        } finally {
            lock.unlock();
            if (!lock.hasQueuedThreads()) {
                fetching.remove(clientId, lock);
            }
        }
    }

    @Override
    public RegisteredClient findById(String id) {
        String clientId = known.clientIdOf(id);
        return clientId == null ? null : findByClientId(clientId);
    }

    private Resolution resolve(String clientId) {
        String problem = urls.problem(clientId);
        if (problem != null) {
            audit(AuditEventType.CLIENT_METADATA_REFUSED, clientId, Map.of("reason", "the client id " + problem));
            return failed();
        }
        PinnedResourceRetriever.Fetched fetched;
        try {
            fetched = fetcher.fetch(URI.create(clientId).toURL());
        } catch (IOException | IllegalArgumentException e) {
            audit(AuditEventType.CLIENT_METADATA_FAILED, clientId, Map.of("reason", String.valueOf(e.getMessage())));
            return failed();
        }
        ClientMetadataDocument document;
        try {
            document = ClientMetadataDocument.parse(fetched.content(), clientId);
        } catch (InvalidClientMetadataException e) {
            audit(AuditEventType.CLIENT_METADATA_REFUSED, clientId, Map.of("reason", e.getMessage()));
            return failed();
        }
        String id = idOf(clientId);
        known.remember(id, clientId);
        Duration keep = lifetime.of(fetched.cacheControl());
        audit(AuditEventType.CLIENT_METADATA_FETCHED, clientId, Map.of("host", ClientIdUrls.host(clientId),
                "redirectUris", document.redirectUris(), "cacheSeconds", keep.toSeconds()));
        return new Resolution(shape.of(id, document, ClientIdUrls.host(clientId)), clock.instant().plus(keep));
    }

    private Resolution failed() {
        return new Resolution(null, clock.instant().plus(lifetime.ofFailure()));
    }

    private void audit(AuditEventType type, String clientId, Map<String, Object> details) {
        // a password in a refused URL's user info is not written down
        String recorded = USER_INFO.matcher(clientId).replaceFirst("//…@");
        events.publishEvent(new AuditEvent(clock.instant(), type, recorded, null, null, details));
    }
}
