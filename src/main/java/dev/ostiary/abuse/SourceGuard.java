package dev.ostiary.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;

/**
 * Who is being kept out, and for how long: sources (and, when configured, client ids) past their
 * failure threshold. The counting lives in PostgreSQL ({@link FailureCounters}) so every instance
 * counts together; the check is served from memory, refreshed every few seconds and updated at once
 * when any instance locks someone (a notification from the {@code failure_counter} trigger, V18,
 * {@link #lockNotified}), so a request that is not failing costs no database access and no node
 * waits for its next refresh to refuse a source or client another node locked.
 */
public class SourceGuard {

    private final FailureCounters counters;
    private final AbuseProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final List<InetAddressMatcher> allow;
    private final List<InetAddressMatcher> deny;
    private volatile Map<String, Instant> lockedSources = Map.of();
    private volatile Map<String, Instant> lockedClients = Map.of();
    /** Locks learnt since the last refresh (set here, or announced by any node), with when they were learnt. */
    private final Map<String, NotedLock> recentLocks = new ConcurrentHashMap<>();

    private record NotedLock(Instant until, Instant notedAt) {
    }

    public SourceGuard(FailureCounters counters, AbuseProperties properties, JdbcClient jdbc, Clock clock) {
        this.counters = counters;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.allow = ranges(properties.tokenEndpointAllow());
        this.deny = ranges(properties.tokenEndpointDeny());
    }

    /** Whether the allow and deny lists let {@code address} reach the client-authenticated endpoints. */
    public boolean admitted(String address) {
        if (deny.stream().anyMatch(r -> contains(r, address))) {
            return false;
        }
        return allow.isEmpty() || allow.stream().anyMatch(r -> contains(r, address));
    }

    /**
     * Addresses or CIDR ranges, IPv4 or IPv6, as Spring Security's {@code IpAddressMatcher} reads
     * them (it refuses host names: nothing here is ever resolved).
     */
    private static List<InetAddressMatcher> ranges(List<String> configured) {
        return configured.stream().filter(s -> !s.isBlank()).map(s -> InetAddressMatchers.fromIpAddress(s.trim()))
                .toList();
    }

    /** A remote address that is not an IP literal lies in no range (the matcher would throw). */
    private static boolean contains(InetAddressMatcher range, String address) {
        try {
            return range.matches(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** How long the source must still wait, if it is locked out. */
    public Optional<Duration> sourceLocked(String address) {
        return remaining(lockedSources.get(address), until(recentLocks.get("ip:" + address)));
    }

    public Optional<Duration> clientLocked(String clientId) {
        return remaining(lockedClients.get(clientId), until(recentLocks.get("client:" + clientId)));
    }

    /**
     * Takes one of the source's attempts before a password is checked (see
     * {@link FailureCounters#tryAttempt}): at most {@code source-ip-threshold} password checks per
     * window per address, however many arrive at once.
     *
     * @return whether the check may go ahead
     */
    public boolean tryPasswordAttempt(String address) {
        if (address == null || properties.sourceIpThreshold() <= 0) {
            return true;
        }
        return counters.tryAttempt(FailureCounters.Kind.SOURCE_IP, address, sourceLimit()).isPresent();
    }

    /** Ends a password attempt of {@code address}; {@code failed} counts it as one of its failures. */
    public void passwordAttemptEnded(String address, boolean failed) {
        if (address == null || properties.sourceIpThreshold() <= 0) {
            return;
        }
        if (!failed) {
            // a source's successes are not held against it (many users behind one address)
            counters.attemptReleased(FailureCounters.Kind.SOURCE_IP, address);
            return;
        }
        noteLock("ip:" + address, counters.attemptFailed(FailureCounters.Kind.SOURCE_IP, address, sourceLimit()));
    }

    /** Counts a failed login or client authentication from {@code address}, after the fact. */
    public void sourceFailed(String address) {
        if (address == null || properties.sourceIpThreshold() <= 0) {
            return;
        }
        noteLock("ip:" + address, counters.recordFailure(FailureCounters.Kind.SOURCE_IP, address,
                properties.sourceIpThreshold(), properties.window(), properties.lockDuration()));
    }

    /** Counts a failed authentication of {@code clientId}. */
    public void clientFailed(String clientId) {
        if (clientId == null) {
            return;
        }
        int threshold = properties.clientThreshold() > 0 ? properties.clientThreshold() : Integer.MAX_VALUE;
        noteLock("client:" + clientId, counters.recordFailure(FailureCounters.Kind.CLIENT, clientId, threshold,
                properties.window(), properties.lockDuration()));
    }

    /**
     * Counts a failed client authentication against its source and, when a client threshold is set,
     * the client id: one statement at most. Without a client threshold nothing reads a client's count
     * (the audit trail records every failure), so none is written: an unauthenticated request costs
     * one write, not two (issue 13, L6).
     */
    public void clientAuthenticationFailed(String address, String clientId) {
        boolean countSource = address != null && properties.sourceIpThreshold() > 0;
        boolean countClient = clientId != null && properties.clientThreshold() > 0;
        if (countSource && countClient) {
            FailureCounters.Limit clientLimit = new FailureCounters.Limit(properties.clientThreshold(),
                    properties.window(), properties.lockDuration());
            FailureCounters.Count source = counters.recordFailures(FailureCounters.Kind.SOURCE_IP, address,
                    sourceLimit(), FailureCounters.Kind.CLIENT, clientId, clientLimit);
            noteLock("ip:" + address, source);
            // the client's lock, if this failure set one, reaches this instance with the next refresh
        } else if (countSource) {
            sourceFailed(address);
        } else if (countClient) {
            clientFailed(clientId);
        }
    }

    private FailureCounters.Limit sourceLimit() {
        return new FailureCounters.Limit(properties.sourceIpThreshold(), properties.window(), properties.lockDuration());
    }

    private void noteLock(String key, FailureCounters.Count count) {
        if (count.locked(clock.instant())) {
            recentLocks.put(key, new NotedLock(count.lockedUntil(), clock.instant()));
        }
    }

    /**
     * A lock set by any instance, as the trigger announces it: {@code KIND epochMillis key}
     * ({@code SOURCE_IP} or {@code CLIENT}). Malformed payloads are ignored (the next refresh reads
     * the table anyway).
     */
    public void lockNotified(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(" ", 3);
        if (parts.length < 3) {
            return;
        }
        String prefix = "SOURCE_IP".equals(parts[0]) ? "ip:" : "CLIENT".equals(parts[0]) ? "client:" : null;
        if (prefix == null) {
            return;
        }
        try {
            Instant until = Instant.ofEpochMilli(Long.parseLong(parts[1]));
            if (until.isAfter(clock.instant())) {
                recentLocks.merge(prefix + parts[2], new NotedLock(until, clock.instant()),
                        (a, b) -> a.until().isAfter(b.until()) ? a : b);
            }
        } catch (NumberFormatException ignored) {
            // not ours to fail on: the periodic refresh reads the table
        }
    }

    /** Lifts a source's lock and forgets its failures (an operator's decision). */
    public void unlockSource(String address) {
        counters.unlock(FailureCounters.Kind.SOURCE_IP, address);
        recentLocks.remove("ip:" + address);
        Map<String, Instant> sources = new ConcurrentHashMap<>(lockedSources);
        sources.remove(address);
        lockedSources = sources;
    }

    /**
     * Picks up locks set by every instance, and forgets expired ones; run every
     * {@link AbuseProperties#refreshInterval()} ({@code AbuseConfiguration#sourceGuardRefresh}).
     */
    public void refresh() {
        Instant now = clock.instant();
        Map<String, Instant> sources = new ConcurrentHashMap<>();
        Map<String, Instant> clients = new ConcurrentHashMap<>();
        jdbc.sql("select kind, key, locked_until from failure_counter where locked_until > ? and kind in ('SOURCE_IP', 'CLIENT')")
                .param(OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
                .query(rs -> {
                    Instant until = rs.getObject("locked_until", OffsetDateTime.class).toInstant();
                    ("SOURCE_IP".equals(rs.getString("kind")) ? sources : clients).put(rs.getString("key"), until);
                });
        lockedSources = sources;
        lockedClients = clients;
        // expired locks go; so do those learnt before this read that the table no longer has (an operator
        // lifted them, on any node); one learnt during the read stays until the next refresh
        recentLocks.entrySet().removeIf(e -> !e.getValue().until().isAfter(now)
                || (e.getValue().notedAt().isBefore(now) && !(e.getKey().startsWith("ip:")
                        ? sources.containsKey(e.getKey().substring(3)) : clients.containsKey(e.getKey().substring(7)))));
        counters.purge(properties.window().plus(properties.lockDuration()));
    }

    private static Instant until(NotedLock noted) {
        return noted == null ? null : noted.until();
    }

    private Optional<Duration> remaining(Instant shared, Instant local) {
        Instant until = shared == null ? local : local == null ? shared : (shared.isAfter(local) ? shared : local);
        if (until == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }
}
