package dev.ostiary.keys;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.JWK;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Changes to the signing keys: creation, activation, retirement, revocation, deletion. Every change
 * runs in one transaction holding a PostgreSQL advisory lock, so with several instances on one
 * database only one changes keys at a time; the others see the result on their next
 * {@link SigningKeySet#reload()}.
 */
public class SigningKeyService {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyService.class);

    private final SigningKeyRepository repository;
    private final SigningKeyCipher cipher;
    private final SigningKeySet keySet;
    private final KeysProperties properties;
    private final LongestTokenLifetime longestTokenLifetime;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SigningKeyService(SigningKeyRepository repository, SigningKeyCipher cipher, SigningKeySet keySet,
            KeysProperties properties, LongestTokenLifetime longestTokenLifetime, TransactionTemplate transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.keySet = keySet;
        this.properties = properties;
        this.longestTokenLifetime = longestTokenLifetime;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Makes sure every configured algorithm has an active key this instance can use. A key that was
     * encrypted under another master key can no longer sign: it is retired (its public half stays
     * published until its tokens expire) and replaced.
     */
    public void ensureSigningKeys() {
        List<AuditEvent> happened = inLockedTransaction(true, () -> {
            List<AuditEvent> changes = new ArrayList<>();
            Instant now = clock.instant();
            for (SigningAlgorithm algorithm : properties.algorithms()) {
                Optional<SigningKey> active = repository.findByAlgorithmAndState(algorithm, KeyState.active);
                if (active.isPresent() && !cipher.canOpen(active.get())) {
                    log.warn("Active {} key {} was encrypted under master key {}; this instance has {}. Retiring it"
                            + " (its tokens keep verifying) and creating a new key.", algorithm, active.get().kid(),
                            active.get().masterKeyId(), cipher.masterKeyId());
                    changes.add(retire(active.get(), now));
                    repository.flush();
                    active = Optional.empty();
                }
                if (active.isEmpty()) {
                    changes.addAll(promoteOrCreate(algorithm, now));
                }
            }
            return changes;
        });
        afterChange(happened);
    }

    /**
     * The schedule: publish a next key {@code nextKeyLeadTime} before the active one has served
     * its period, promote it when the period is over, and delete retired keys nobody needs.
     *
     * @return whether anything changed
     */
    public boolean rotateIfDue() {
        List<AuditEvent> happened = inLockedTransaction(false, () -> {
            List<AuditEvent> changes = new ArrayList<>();
            Instant now = clock.instant();
            for (SigningAlgorithm algorithm : properties.algorithms()) {
                Optional<SigningKey> active = repository.findByAlgorithmAndState(algorithm, KeyState.active);
                if (active.isEmpty()) {
                    changes.addAll(promoteOrCreate(algorithm, now));
                    continue;
                }
                Instant due = active.get().activatedAt().plus(properties.rotationPeriod());
                List<SigningKey> next = repository.findByAlgorithmAndStateOrderByCreatedAtAsc(algorithm, KeyState.next);
                if (next.isEmpty() && !now.isBefore(due.minus(properties.nextKeyLeadTime()))) {
                    changes.add(create(algorithm, KeyState.next, now).event());
                } else if (!next.isEmpty() && !now.isBefore(due)
                        && !now.isBefore(next.get(0).createdAt().plus(properties.nextKeyLeadTime()))) {
                    changes.add(retire(active.get(), now));
                    repository.flush();
                    changes.add(activate(next.get(0), now));
                }
            }
            int deleted = repository.deleteExpired(now, now.minus(Duration.ofDays(30)));
            if (deleted > 0) {
                log.info("Deleted {} signing keys that no token needs any more", deleted);
            }
            return changes;
        });
        afterChange(happened);
        return happened != null && !happened.isEmpty();
    }

    /**
     * Rotates now: the oldest next key (published already, so caches know it) starts signing, or a
     * new key when there is none; the active key retires; a fresh next key is published.
     *
     * @return the kid that signs from now on
     */
    public String rotateNow(SigningAlgorithm algorithm) {
        return rotateNow(algorithm, null);
    }

    /** {@link #rotateNow(SigningAlgorithm)} on an operator's request: the audit event names them. */
    public String rotateNow(SigningAlgorithm algorithm, String actor) {
        String[] newKid = new String[1];
        List<AuditEvent> happened = inLockedTransaction(true, () -> {
            List<AuditEvent> changes = new ArrayList<>();
            Instant now = clock.instant();
            repository.findByAlgorithmAndState(algorithm, KeyState.active).ifPresent(k -> changes.add(retire(k, now)));
            repository.flush();
            List<AuditEvent> promoted = promoteOrCreate(algorithm, now);
            changes.addAll(promoted);
            repository.flush();
            newKid[0] = repository.findByAlgorithmAndState(algorithm, KeyState.active).orElseThrow().kid();
            changes.add(create(algorithm, KeyState.next, now).event());
            changes.add(AuditEvent.of(AuditEventType.KEY_ROTATED, null, actor,
                    Map.of("kid", newKid[0], "alg", algorithm.name())));
            return changes;
        });
        afterChange(happened);
        return newKid[0];
    }

    /**
     * Emergency removal of a compromised key: it leaves the JWKS at once, so tokens it signed stop
     * verifying. If it was signing, another key takes over immediately.
     *
     * @return whether a key with that kid existed and was not already revoked
     */
    public boolean revoke(String kid) {
        return revoke(kid, null);
    }

    /** {@link #revoke(String)} on an operator's request: the audit event names them. */
    public boolean revoke(String kid, String actor) {
        List<AuditEvent> happened = inLockedTransaction(true, () -> {
            List<AuditEvent> changes = new ArrayList<>();
            Instant now = clock.instant();
            Optional<SigningKey> key = repository.findById(kid).filter(k -> k.state() != KeyState.revoked);
            if (key.isEmpty()) {
                return changes;
            }
            boolean wasActive = key.get().state() == KeyState.active;
            key.get().revoke(now);
            repository.flush();
            changes.add(AuditEvent.of(AuditEventType.KEY_REVOKED, null, actor,
                    Map.of("kid", kid, "alg", key.get().algorithm().name())));
            if (wasActive) {
                changes.addAll(promoteOrCreate(key.get().algorithm(), now));
            }
            return changes;
        });
        afterChange(happened);
        return happened != null && !happened.isEmpty();
    }

    /**
     * Re-encrypts every private key still sealed under the previous master key with the current one
     * (the second step of a master key rotation, see docs/key-rotation.md).
     *
     * @return how many keys were re-encrypted
     */
    public int reencryptUnderCurrentMasterKey() {
        int[] count = new int[1];
        inLockedTransaction(true, () -> {
            for (SigningKey key : repository.findAll()) {
                if (!cipher.needsReencryption(key)) {
                    continue;
                }
                try {
                    JWK opened = cipher.open(key);
                    java.security.PrivateKey privateKey = opened instanceof com.nimbusds.jose.jwk.RSAKey rsa
                            ? rsa.toPrivateKey() : ((com.nimbusds.jose.jwk.ECKey) opened).toPrivateKey();
                    key.reencrypt(cipher.seal(key.kid(), privateKey), cipher.masterKeyId());
                    count[0]++;
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot re-encrypt signing key " + key.kid(), e);
                }
            }
            return List.<AuditEvent>of();
        });
        keySet.reload();
        return count[0];
    }

    /** A signing key as the admin API shows it: never the private half. */
    public record KeyView(String kid, SigningAlgorithm algorithm, KeyState state, Instant createdAt,
            Instant activatedAt, Instant retiredAt, Instant publishUntil, Instant revokedAt, String masterKeyId) {
    }

    public List<KeyView> describeKeys() {
        return listKeys().stream().map(k -> new KeyView(k.kid(), k.algorithm(), k.state(), k.createdAt(),
                k.activatedAt(), k.retiredAt(), k.publishUntil(), k.revokedAt(), k.masterKeyId())).toList();
    }

    List<SigningKey> listKeys() {
        return repository.findAll().stream()
                .sorted(java.util.Comparator.comparing(SigningKey::createdAt).reversed())
                .toList();
    }

    private List<AuditEvent> promoteOrCreate(SigningAlgorithm algorithm, Instant now) {
        List<SigningKey> next = repository.findByAlgorithmAndStateOrderByCreatedAtAsc(algorithm, KeyState.next);
        List<AuditEvent> changes = new ArrayList<>();
        for (SigningKey candidate : next) {
            if (cipher.canOpen(candidate)) {
                changes.add(activate(candidate, now));
                return changes;
            }
        }
        Created created = create(algorithm, KeyState.active, now);
        changes.add(created.event());
        changes.add(AuditEvent.of(AuditEventType.KEY_ACTIVATED, null, null,
                Map.of("kid", created.key().kid(), "alg", algorithm.name())));
        return changes;
    }

    private record Created(SigningKey key, AuditEvent event) {
    }

    private Created create(SigningAlgorithm algorithm, KeyState state, Instant now) {
        KeyPair pair = algorithm.generateKeyPair();
        JWK jwk = algorithm.toJwk(pair);
        SigningKey key = new SigningKey(jwk.getKeyID(), algorithm, state, jwk.toPublicJWK().toJSONString(),
                cipher.seal(jwk.getKeyID(), pair.getPrivate()), cipher.masterKeyId(), now);
        repository.save(key);
        return new Created(key, AuditEvent.of(AuditEventType.KEY_CREATED, null, null,
                Map.of("kid", key.kid(), "alg", algorithm.name(), "state", state.name())));
    }

    private AuditEvent activate(SigningKey key, Instant now) {
        key.activate(now);
        return AuditEvent.of(AuditEventType.KEY_ACTIVATED, null, null,
                Map.of("kid", key.kid(), "alg", key.algorithm().name()));
    }

    private AuditEvent retire(SigningKey key, Instant now) {
        Instant publishUntil = now.plus(longestTokenLifetime.longestTokenLifetime()).plus(properties.clockSkew());
        key.retire(now, publishUntil);
        return AuditEvent.of(AuditEventType.KEY_RETIRED, null, null,
                Map.of("kid", key.kid(), "alg", key.algorithm().name(), "publishUntil", publishUntil.toString()));
    }

    /**
     * Runs a key change under the advisory lock. {@code wait}: block until the lock is free (start-up,
     * admin actions); otherwise skip when another instance holds it (the schedule).
     */
    private List<AuditEvent> inLockedTransaction(boolean wait, Supplier<List<AuditEvent>> change) {
        return transactions.execute(status -> {
            if (wait) {
                repository.lockForRotation();
            } else if (!repository.tryLockForRotation()) {
                return List.of();
            }
            return change.get();
        });
    }

    private void afterChange(List<AuditEvent> happened) {
        if (happened == null || happened.isEmpty()) {
            return;
        }
        keySet.reload();
        happened.forEach(events::publishEvent);
    }
}
