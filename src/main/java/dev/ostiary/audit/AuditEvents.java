package dev.ostiary.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.ostiary.problem.ControlCharacters;

/**
 * Reading the audit trail, for the admin API and the console alike: one filter, newest first, by
 * offset (the API's pages), by keyset (the console's: as fast on page 1,000 as on page 1) or as a
 * stream (exports, on a cursor, so a million rows never sit in memory at once). Every read first
 * writes what the trail still holds, so an operator sees what just happened.
 */
public class AuditEvents {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** One stored event. */
    public record StoredEvent(long id, OffsetDateTime occurredAt, String type, String clientId, String username,
            String sourceIp, Map<String, Object> details) {

        /** Where a keyset page that ends with this event continues. */
        public Cursor cursor() {
            return new Cursor(occurredAt.toInstant(), id);
        }
    }

    /**
     * What to show; null or blank means any. Users are compared lower-case, as stored; the address
     * exactly, as recorded (the client's address after trusted proxies).
     */
    public record Filter(String type, String clientId, String username, String sourceIp, Instant from, Instant until) {

        public static final Filter ANY = new Filter(null, null, null, null, null, null);

        public Filter {
            ControlCharacters.refuse("filter", type, clientId, username, sourceIp);
        }

        private void appendTo(StringBuilder where, List<Object> parameters) {
            where.append(" where true");
            if (present(type)) {
                where.append(" and type = ?");
                parameters.add(type.strip());
            }
            if (present(clientId)) {
                where.append(" and client_id = ?");
                parameters.add(clientId.strip());
            }
            if (present(username)) {
                where.append(" and username = ?");
                parameters.add(username.strip().toLowerCase(Locale.ROOT));
            }
            if (present(sourceIp)) {
                where.append(" and source_ip = ?");
                parameters.add(sourceIp.strip());
            }
            if (from != null) {
                where.append(" and occurred_at >= ?");
                parameters.add(Timestamp.from(from));
            }
            if (until != null) {
                where.append(" and occurred_at < ?");
                parameters.add(Timestamp.from(until));
            }
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }

    /** A position in the newest-first order: events strictly older than it come next. */
    public record Cursor(Instant occurredAt, long id) {

        private static final long LATEST_MICROS = 253_402_300_799_999_999L;

        /** {@code <epoch microseconds>.<id>}: opaque to the operator, exact for PostgreSQL's microseconds. */
        public String token() {
            long micros = Math.addExact(Math.multiplyExact(occurredAt.getEpochSecond(), 1_000_000L),
                    occurredAt.getNano() / 1_000);
            return micros + "." + id;
        }

        /** @throws IllegalArgumentException when the text is not a cursor */
        public static Cursor parse(String token) {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("not a cursor");
            }
            long micros = Long.parseLong(parts[0]);
            // 1970 to 9999: what the trail can hold, and within PostgreSQL's timestamptz either way
            if (micros < 0 || micros > LATEST_MICROS) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), Long.parseLong(parts[1]));
        }
    }

    /** A keyset page; {@code next} is where the following page starts, null on the last. */
    public record Slice(List<StoredEvent> events, Cursor next) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final AuditTrail trail;
    private final JsonMapper json = JsonMapper.builder().build();

    public AuditEvents(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions, AuditTrail trail) {
        this.jdbc = jdbc;
        this.trail = trail;
        // PostgreSQL streams a result on a cursor only inside a transaction with a fetch size
        this.streaming = new JdbcTemplate(jdbcTemplate.getDataSource());
        this.streaming.setFetchSize(1_000);
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
    }

    /** How many events match: the admin API's total. */
    public long count(Filter filter) {
        trail.flush();
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        filter.appendTo(where, parameters);
        return jdbc.sql("select count(*) from audit_event" + where).params(parameters).query(Long.class).single();
    }

    /** The admin API's offset pages. */
    public List<StoredEvent> page(Filter filter, long offset, int size) {
        trail.flush();
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        filter.appendTo(where, parameters);
        parameters.add(size);
        parameters.add(offset);
        return jdbc.sql(SELECT + where + " order by occurred_at desc, id desc limit ? offset ?").params(parameters)
                .query((rs, n) -> event(rs)).list();
    }

    /** Up to {@code size} events older than {@code after} (from the newest when null). */
    public Slice slice(Filter filter, Cursor after, int size) {
        trail.flush();
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        filter.appendTo(where, parameters);
        if (after != null) {
            where.append(" and (occurred_at, id) < (?, ?)");
            parameters.add(Timestamp.from(after.occurredAt()));
            parameters.add(after.id());
        }
        parameters.add(size + 1);
        List<StoredEvent> rows = jdbc.sql(SELECT + where + " order by occurred_at desc, id desc limit ?")
                .params(parameters).query((rs, n) -> event(rs)).list();
        if (rows.size() <= size) {
            return new Slice(rows, null);
        }
        List<StoredEvent> page = rows.subList(0, size);
        return new Slice(List.copyOf(page), page.get(size - 1).cursor());
    }

    /** Every matching event, newest first, at most {@code limit}, one at a time. */
    public void stream(Filter filter, int limit, Consumer<StoredEvent> each) {
        trail.flush();
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        filter.appendTo(where, parameters);
        parameters.add(limit);
        readOnly.executeWithoutResult(status -> streaming.query(SELECT + where + " order by occurred_at desc, id desc limit ?",
                rs -> {
                    each.accept(event(rs));
                }, parameters.toArray()));
    }

    private static final String SELECT = "select id, occurred_at, type, client_id, username, source_ip, details::text as details"
            + " from audit_event";

    private StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("type"),
                rs.getString("client_id"), rs.getString("username"), rs.getString("source_ip"),
                json.readValue(rs.getString("details"), MAP));
    }
}
