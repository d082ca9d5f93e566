package dev.ostiary.client;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.StringUtils;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.crypto.RandomTokens;
import dev.ostiary.fetch.OutboundDestinations;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.resource.ResourceCatalog;
import dev.ostiary.scope.ScopeCatalog;

/**
 * Registering, changing and removing clients, for every way of doing it (admin API, self-service
 * page, dynamic registration). Secrets are generated here, shown once, and stored as a keyed hash;
 * every change is audited and reaches every instance's cache at once.
 */
public class ClientManagement {

    /** A client just created or given a new secret: the secret, in clear, for this answer only. */
    public record WithSecret(ClientView client, String clientSecret) {
    }

    private final ClientRepository clients;
    private final ClientSecretHasher secrets;
    private final MasterKey masterKey;
    private final ScopeCatalog scopes;
    private final Grants grants;
    private final CachingRegisteredClientRepository cache;
    private final ApplicationEventPublisher events;
    private final OutboundDestinations destinations;
    private final int maxPerOwner;
    private final ResourceCatalog resources;

    public ClientManagement(ClientRepository clients, ClientSecretHasher secrets, MasterKey masterKey,
            ScopeCatalog scopes, Grants grants, CachingRegisteredClientRepository cache,
            ApplicationEventPublisher events, OutboundDestinations destinations, int maxPerOwner,
            ResourceCatalog resources) {
        this.resources = resources;
        this.grants = grants;
        this.destinations = destinations;
        this.maxPerOwner = maxPerOwner;
        this.clients = clients;
        this.secrets = secrets;
        this.masterKey = masterKey;
        this.scopes = scopes;
        this.cache = cache;
        this.events = events;
    }

    /**
     * Registers a client. {@code owner} is the signed-in user of the self-service page (null for an
     * administrator), {@code actor} {@code "registration"} for RFC 7591; both make it a third-party
     * client, whose name may not repeat another client's (review M6) and whose owner has a quota (M5).
     */
    @Transactional
    public WithSecret create(ClientRequest request, String owner, String actor) {
        validate(request);
        RegisteredBy registeredBy = owner != null ? RegisteredBy.USER
                : "registration".equals(actor) ? RegisteredBy.REGISTRATION : RegisteredBy.ADMIN;
        if (owner != null) {
            clients.lockUntilCommit("client-owner:" + owner);
            if (clients.countByOwnerUsername(owner) >= maxPerOwner) {
                throw new InvalidRequestException("clientName", "you have registered the most applications allowed ("
                        + maxPerOwner + "); delete one first");
            }
        }
        if (registeredBy.thirdParty()) {
            checkNameIsFree(request.clientName(), null);
        }
        String clientId = request.clientId() != null ? request.clientId()
                : "c-" + RandomTokens.generate().substring(0, 16).toLowerCase(java.util.Locale.ROOT)
                        .replace('_', 'x').replace('-', 'y');
        if (clients.findByClientId(clientId).isPresent()) {
            throw new InvalidRequestException("clientId", "is already taken");
        }
        Client client = new Client(clientId, request.clientName().trim());
        ClientSettingsFromRequest.apply(request, client);
        client.setOwnerUsername(owner);
        client.setRegisteredBy(registeredBy);
        String secret = issueSecretIfNeeded(client);
        try {
            clients.saveAndFlush(client);
        } catch (DataIntegrityViolationException e) {
            throw new InvalidRequestException("clientId", "is already taken");
        }
        audit(AuditEventType.CLIENT_CREATED, clientId, actor, Map.of("owner", owner == null ? "" : owner));
        return new WithSecret(ClientView.of(client), secret);
    }

    @Transactional
    public ClientView update(String clientId, ClientRequest request, String actor) {
        Client client = find(clientId);
        ClientRequest effective = request.clientId() == null || request.clientId().equals(clientId) ? request
                : request.withClientId(clientId);
        validate(effective);
        if (client.getRegisteredBy().thirdParty() && !client.getClientName().equals(effective.clientName().trim())) {
            checkNameIsFree(effective.clientName(), clientId);
        }
        boolean hadSecret = client.getSecretHash() != null;
        client.setClientName(effective.clientName().trim());
        ClientSettingsFromRequest.apply(effective, client);
        boolean needsSecret = needsSecret(client);
        if (!needsSecret) {
            client.setSecretHash(null).setSecretEncrypted(null);
        } else if (!hadSecret) {
            throw new InvalidRequestException("authMethods", "a client without a secret gets one by rotating it");
        } else if (!client.getAuthMethods().contains("client_secret_jwt")) {
            client.setSecretEncrypted(null);
        }
        clients.saveAndFlush(client);
        cache.evict(clientId);
        audit(AuditEventType.CLIENT_UPDATED, clientId, actor, Map.of());
        return ClientView.of(client);
    }

    @Transactional
    public WithSecret rotateSecret(String clientId, String actor) {
        Client client = find(clientId);
        if (!needsSecret(client)) {
            throw new InvalidRequestException("authMethods", "this client does not authenticate with a secret");
        }
        String secret = issueSecretIfNeeded(client);
        clients.saveAndFlush(client);
        cache.evict(clientId);
        audit(AuditEventType.CLIENT_SECRET_ROTATED, clientId, actor, Map.of());
        return new WithSecret(ClientView.of(client), secret);
    }

    @Transactional
    public ClientView setEnabled(String clientId, boolean enabled, String actor) {
        Client client = find(clientId);
        client.setEnabled(enabled);
        clients.saveAndFlush(client);
        cache.evict(clientId);
        audit(AuditEventType.CLIENT_UPDATED, clientId, actor, Map.of("enabled", enabled));
        return ClientView.of(client);
    }

    /** Deletes the client and, by cascade, every authorization and consent it had. */
    @Transactional
    public void delete(String clientId, String actor) {
        if (clients.deleteByClientIdAtomically(clientId) == 0) {
            throw new NotFoundException("client " + clientId);
        }
        cache.evict(clientId);
        audit(AuditEventType.CLIENT_DELETED, clientId, actor, Map.of());
    }

    @Transactional(readOnly = true)
    public ClientView get(String clientId) {
        return ClientView.of(find(clientId));
    }

    @Transactional(readOnly = true)
    public Page<ClientView> list(int page, int size) {
        return clients.findAllByOrderByClientIdAsc(PageRequest.of(Math.max(0, page), Math.max(1, Math.min(size, 200))))
                .map(ClientView::of);
    }

    @Transactional(readOnly = true)
    public List<ClientView> ownedBy(String owner) {
        return clients.findByOwnerUsernameOrderByCreatedAtAsc(owner).stream().map(ClientView::of).toList();
    }

    /** The client's secret for checking an HS256 client assertion; only client_secret_jwt clients have it. */
    public String secretForAssertions(String clientId) {
        Client client = clients.findByClientId(clientId).orElse(null);
        if (client == null || client.getSecretEncrypted() == null) {
            return null;
        }
        try {
            return new String(masterKey.decrypt(client.getSecretEncrypted(), "client-secret:" + clientId),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private Client find(String clientId) {
        return clients.findByClientId(clientId).orElseThrow(() -> new NotFoundException("client " + clientId));
    }

    private void validate(ClientRequest request) {
        List<FieldProblem> problems = new java.util.ArrayList<>(ClientRules.check(request, scopes, grants));
        problems.addAll(ClientRules.resourceProblems(request, resources));
        if (problems.isEmpty()) {
            // the rules of the one fetcher, which fetches jwks_uri and posts logout tokens (M1): public hosts only
            fetchable(problems, "jwksUri", request.jwksUri());
            fetchable(problems, "backchannelLogoutUri", request.backchannelLogoutUri());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    private void fetchable(List<FieldProblem> problems, String field, String url) {
        java.util.Optional.ofNullable(StringUtils.hasText(url) ? destinations.registrationProblem(url.trim()) : null)
                .ifPresent(problem -> problems.add(new FieldProblem(field, problem)));
    }

    /**
     * A third-party client may not take a name that reads like another client's name or client id,
     * nor one that names this server: the consent page shows the name. Compared by {@link NameKey}
     * (compatibility forms, accents, case, spaces, punctuation, Cyrillic and Greek look-alikes), in
     * Java over every client row, so rows stored by any means are covered; registrations of names
     * with one key are serialized until commit, so two look-alikes cannot both get in.
     */
    private void checkNameIsFree(String name, String clientId) {
        String key = NameKey.of(name);
        if (key.isEmpty()) {
            throw new InvalidRequestException("clientName", "must contain letters or digits");
        }
        if (key.contains(NameKey.of("ostiary"))) {
            throw new InvalidRequestException("clientName", "is reserved");
        }
        clients.lockUntilCommit("client-name:" + key);
        String self = clientId == null ? "" : clientId;
        for (Object[] other : clients.idsAndNames()) {
            if (self.equals(other[0])) {
                continue;
            }
            if (key.equals(NameKey.of((String) other[0]))
                    || (other[1] != null && key.equals(NameKey.of((String) other[1])))) {
                throw new InvalidRequestException("clientName", "is already used by another application");
            }
        }
    }

    private static boolean needsSecret(Client client) {
        return client.getAuthMethods().stream().anyMatch(ClientRules.SECRET_METHODS::contains);
    }

    private String issueSecretIfNeeded(Client client) {
        if (!needsSecret(client)) {
            client.setSecretHash(null).setSecretEncrypted(null);
            return null;
        }
        String secret = RandomTokens.generate();
        client.setSecretHash(secrets.hash(secret));
        client.setSecretEncrypted(client.getAuthMethods().contains("client_secret_jwt")
                ? masterKey.encrypt(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "client-secret:" + client.getClientId())
                : null);
        return secret;
    }

    private void audit(AuditEventType type, String clientId, String actor, Map<String, Object> details) {
        Map<String, Object> all = new HashMap<>(details);
        all.remove("owner", "");
        events.publishEvent(AuditEvent.of(type, clientId, actor, all));
    }
}
