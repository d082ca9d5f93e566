package dev.ostiary.keys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ostiary.crypto.Digests;

/**
 * This instance's view of the signing keys: an immutable snapshot swapped atomically. Signing and
 * the JWKS endpoint read it without touching the database; {@link #reload()} rebuilds it when the
 * key table changed (this instance's own changes, or another instance's, picked up on a schedule).
 */
public class SigningKeySet {

    private static final Logger log = LoggerFactory.getLogger(SigningKeySet.class);

    private final SigningKeyRepository repository;
    private final SigningKeyCipher cipher;
    private final Clock clock;
    private final Map<String, JWK> openedKeys = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    SigningKeySet(SigningKeyRepository repository, SigningKeyCipher cipher, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * What one instance knows about the keys at one moment.
     *
     * @param version identifies the key table content this was built from
     * @param activeKeys signing JWKs (with private parts), one per algorithm
     * @param publishedKeys public JWKs of next, active and unexpired retired keys
     * @param jwksJson the JWKS document, serialized once
     * @param etag strong entity tag of {@code jwksJson}
     */
    public record Snapshot(String version, Map<SigningAlgorithm, JWK> activeKeys, List<JWK> publishedKeys,
            byte[] jwksJson, String etag) {

        static final Snapshot EMPTY = new Snapshot("", Map.of(), List.of(), "{\"keys\":[]}".getBytes(
                StandardCharsets.UTF_8), "\"empty\"");

        public Optional<JWK> activeKey(SigningAlgorithm algorithm) {
            return Optional.ofNullable(activeKeys.get(algorithm));
        }
    }

    public Snapshot current() {
        return snapshot;
    }

    /** Keys that may sign now: what {@code NimbusJwtEncoder} selects from (one per algorithm). */
    public JWKSource<SecurityContext> signingSource() {
        return (selector, context) -> selector.select(new JWKSet(new ArrayList<>(snapshot.activeKeys().values())));
    }

    /** Keys whose tokens verify now: what our own token checks use. */
    public JWKSource<SecurityContext> verificationSource() {
        return (selector, context) -> selector.select(new JWKSet(snapshot.publishedKeys()));
    }

    /** Re-reads the key table; rebuilds the snapshot only when something changed. */
    public synchronized void reload() {
        Instant now = clock.instant();
        List<SigningKey> rows = repository.findByStateNot(KeyState.revoked).stream()
                .filter(k -> k.state() != KeyState.retired || k.publishUntil() == null || k.publishUntil().isAfter(now))
                .sorted(Comparator.comparing(SigningKey::createdAt).thenComparing(SigningKey::kid))
                .toList();
        String version = rows.stream().map(k -> k.kid() + ":" + k.state() + ":" + k.publishUntil())
                .collect(Collectors.joining(","));
        if (version.equals(snapshot.version())) {
            return;
        }
        Map<SigningAlgorithm, JWK> active = new EnumMap<>(SigningAlgorithm.class);
        List<JWK> published = new ArrayList<>();
        for (SigningKey row : rows) {
            JWK publicJwk = parsePublic(row);
            if (publicJwk == null) {
                continue;
            }
            published.add(publicJwk);
            if (row.state() == KeyState.active) {
                JWK signing = open(row);
                if (signing != null) {
                    active.put(row.algorithm(), signing);
                }
            }
        }
        openedKeys.keySet().retainAll(rows.stream().map(SigningKey::kid).toList());
        byte[] json = new JWKSet(published).toString(true).getBytes(StandardCharsets.UTF_8);
        snapshot = new Snapshot(version, Map.copyOf(active), List.copyOf(published), json, etagOf(json));
        log.info("Signing keys loaded: active {}, published {}",
                active.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().getKeyID()).toList(),
                published.stream().map(JWK::getKeyID).toList());
    }

    private JWK open(SigningKey row) {
        return openedKeys.computeIfAbsent(row.kid(), kid -> {
            if (!cipher.canOpen(row)) {
                log.error("Signing key {} was encrypted under master key {}, this instance has {}: it cannot sign",
                        kid, row.masterKeyId(), cipher.masterKeyId());
                return null;
            }
            try {
                return cipher.open(row);
            } catch (Exception e) {
                log.error("Signing key {} cannot be decrypted: {}", kid, e.toString());
                return null;
            }
        });
    }

    private static JWK parsePublic(SigningKey row) {
        try {
            return JWK.parse(row.publicJwk());
        } catch (java.text.ParseException e) {
            log.error("Signing key {} has an unreadable public JWK: {}", row.kid(), e.getMessage());
            return null;
        }
    }

    private static String etagOf(byte[] json) {
        byte[] digest = Digests.sha256(json);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
    }
}
