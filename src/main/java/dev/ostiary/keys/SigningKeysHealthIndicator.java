package dev.ostiary.keys;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of readiness: this instance can sign, that is, its in-memory key set holds an active key for
 * every algorithm in {@code ostiary.keys.algorithms}. Reads memory only, never the database (the
 * {@code db} indicator covers that): a node whose master key cannot open the active key, or which has
 * not loaded the keys yet, must not receive token requests. Down, it names the missing algorithms.
 */
public class SigningKeysHealthIndicator implements HealthIndicator {

    private final SigningKeySet keySet;
    private final List<SigningAlgorithm> algorithms;

    SigningKeysHealthIndicator(SigningKeySet keySet, KeysProperties properties) {
        this.keySet = keySet;
        this.algorithms = List.copyOf(properties.algorithms());
    }

    @Override
    public Health health() {
        SigningKeySet.Snapshot snapshot = keySet.current();
        List<SigningAlgorithm> missing = algorithms.stream().filter(a -> snapshot.activeKey(a).isEmpty()).toList();
        Health.Builder health = missing.isEmpty() ? Health.up() : Health.down().withDetail("missingActiveKeys", missing);
        return health.withDetail("published", snapshot.publishedKeys().size()).build();
    }
}
