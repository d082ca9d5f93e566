package dev.ostiary.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

import dev.ostiary.grant.Grants;
import dev.ostiary.grant.IssuanceAudit;

/**
 * Persists audit events in {@code audit_event} and counts them as Micrometer metrics
 * ({@code ostiary.audit.events{type=…}}).
 *
 * <p>Events are written in batches, a second apart, off the request thread: a request never waits
 * for the audit trail, and a short database outage only delays it (events are kept and retried).
 * The issuance of a grant registered as summed per minute (client_credentials, the token endpoint's
 * hot path) is summed per client and minute into one row instead of one row per token.
 */
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    /**
     * Events kept while the database is behind (review I9): about 1 KB each at most, so 10 MB of a
     * 96 MiB heap. Beyond that new events are dropped, counted ({@code ostiary.audit.dropped}) and
     * logged once per flush; the request is never made to wait (back-pressure would turn a database
     * outage into an outage of every endpoint). The log lines ({@code ostiary.audit}) still carry each
     * event.
     */
    static final int CAPACITY = 10_000;

    private record MinuteOfClient(String grantType, String clientId, Instant minute) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();
    private final BlockingQueue<AuditEvent> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final Grants grants;
    private final Map<MinuteOfClient, LongAdder> summedIssued = new ConcurrentHashMap<>();
    private final Map<AuditEventType, Counter> counters = new EnumMap<>(AuditEventType.class);
    private final Counter dropped;
    private final java.util.concurrent.atomic.AtomicLong droppedSinceLastFlush = new java.util.concurrent.atomic.AtomicLong();

    public AuditTrail(JdbcTemplate jdbc, MeterRegistry meters, Grants grants) {
        this.jdbc = jdbc;
        this.grants = grants;
        for (AuditEventType type : AuditEventType.values()) {
            counters.put(type, Counter.builder("ostiary.audit.events").tag("type", type.eventName())
                    .description("Audit events by type").register(meters));
        }
        this.dropped = Counter.builder("ostiary.audit.dropped").description("Audit events lost to a full queue")
                .register(meters);
    }

    @EventListener
    public void on(AuditEvent published) {
        AuditEvent event = withSourceIp(published);
        counters.get(event.type()).increment();
        if (event.type() == AuditEventType.TOKEN_ISSUED && event.details().get("grantType") instanceof String grant
                && grants.issuanceAudit(grant) == IssuanceAudit.SUMMED_PER_MINUTE) {
            summedIssued.computeIfAbsent(new MinuteOfClient(grant, event.clientId(),
                    event.occurredAt().truncatedTo(ChronoUnit.MINUTES)), k -> new LongAdder()).increment();
            return;
        }
        if (!pending.offer(event)) {
            drop();
        }
    }

    private void drop() {
        dropped.increment();
        droppedSinceLastFlush.incrementAndGet();
    }

    /** Events raised while serving a request get the request's remote address. */
    private static AuditEvent withSourceIp(AuditEvent event) {
        if (event.sourceIp() != null
                || !(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)) {
            return event;
        }
        return new AuditEvent(event.occurredAt(), event.type(), event.clientId(), event.username(),
                request.getRequest().getRemoteAddr(), event.details());
    }

    /**
     * Writes what has accumulated; on failure keeps it for the next attempt. Run every
     * {@link AuditProperties#flushInterval()} ({@code AuditConfiguration#auditFlush}).
     */
    public synchronized void flush() {
        long lost = droppedSinceLastFlush.getAndSet(0);
        if (lost > 0) {
            log.warn("{} audit events dropped: {} were waiting for the database (ostiary.audit.dropped counts them)",
                    lost, CAPACITY);
        }
        List<AuditEvent> batch = new ArrayList<>();
        pending.drainTo(batch, 5_000);
        Instant currentMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Map<MinuteOfClient, Long> sums = new HashMap<>();
        summedIssued.forEach((key, count) -> {
            if (key.minute().isBefore(currentMinute)) {
                sums.put(key, count.sum());
            }
        });
        sums.keySet().forEach(summedIssued::remove);
        for (Map.Entry<MinuteOfClient, Long> sum : sums.entrySet()) {
            batch.add(perMinute(sum.getKey(), sum.getValue()));
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Object[]> rows = new ArrayList<>(batch.size());
            for (AuditEvent event : batch) {
                rows.add(new Object[] { OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC),
                        event.type().eventName(), event.clientId(), event.username(), event.sourceIp(),
                        json.writeValueAsString(event.details()) });
            }
            jdbc.batchUpdate("insert into audit_event (occurred_at, type, client_id, username, source_ip, details)"
                    + " values (?, ?, ?, ?, ?, cast(? as jsonb))", rows);
        } catch (RuntimeException e) {
            log.warn("Audit events not written yet ({} kept for the next attempt): {}", batch.size(), e.toString());
            for (AuditEvent event : batch) {
                if (!pending.offer(event)) {
                    drop();
                }
            }
            return;
        }
        recordLastTokens(batch);
    }

    /**
     * The newest token.issued per client of this batch into {@code client_last_token} (Flyway V23),
     * which the console's client list reads instead of probing the trail once per client. Derived
     * from events already stored, so a failure here loses nothing of the trail: that client's
     * "last used" waits for its next token. In client id order, so two instances flushing at once
     * take the rows' locks in the same order and cannot deadlock; a client without a row (deleted,
     * or never registered: a metadata-document client) is skipped.
     */
    private void recordLastTokens(List<AuditEvent> batch) {
        Map<String, Instant> newest = new java.util.TreeMap<>();
        for (AuditEvent event : batch) {
            if (event.type() == AuditEventType.TOKEN_ISSUED && event.clientId() != null) {
                newest.merge(event.clientId(), event.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (newest.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(newest.size());
        newest.forEach((clientId, at) -> rows.add(new Object[] { clientId,
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), clientId }));
        try {
            jdbc.batchUpdate("""
                    insert into client_last_token (client_id, last_issued_at)
                    select ?, ? where exists (select 1 from client c where c.client_id = ?)
                    on conflict (client_id) do update
                    set last_issued_at = greatest(client_last_token.last_issued_at, excluded.last_issued_at)""", rows);
        } catch (RuntimeException e) {
            log.warn("When {} clients last had a token was not recorded: {}", newest.size(), e.toString());
        }
    }

    private static AuditEvent perMinute(MinuteOfClient key, long count) {
        return new AuditEvent(key.minute(), AuditEventType.TOKEN_ISSUED, key.clientId(), null, null,
                Map.of("grantType", key.grantType(), "count", count, "perMinute", true));
    }

    /** Writes everything now: at shutdown, and for tests. */
    public synchronized void flushAll() {
        // synchronized as flush is: a scheduled flush that has drained the queue but not yet inserted
        // its batch holds the lock, so this waits for it instead of finding the queue empty and
        // returning before those events are in the table
        Instant later = Instant.now().plus(1, ChronoUnit.MINUTES);
        summedIssued.keySet().forEach(key -> {
            LongAdder count = summedIssued.remove(key);
            if (count != null) {
                pending.offer(perMinute(key, count.sum()));
            }
        });
        while (!pending.isEmpty()) {
            int before = pending.size();
            flush();
            if (pending.size() >= before || Instant.now().isAfter(later)) {
                return;
            }
        }
    }
}
