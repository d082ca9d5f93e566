package dev.ostiary.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The audit trail for operators: newest first, filtered by type, client or user, a page at a time. */
@RestController
class AuditQueryController {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final AuditTrail trail;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditQueryController(JdbcClient jdbc, AuditTrail trail) {
        this.jdbc = jdbc;
        this.trail = trail;
    }

    /** One stored event. */
    record StoredEvent(long id, OffsetDateTime occurredAt, String type, String clientId, String username,
            String sourceIp, Map<String, Object> details) {
    }

    /** A page of events. */
    record Page(List<StoredEvent> items, int page, int size, long total) {
    }

    @GetMapping("/admin/api/audit-events")
    Page events(@RequestParam(required = false) String type, @RequestParam(required = false) String clientId,
            @RequestParam(required = false) String username, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        trail.flush();
        int pageSize = Math.max(1, Math.min(size, 500));
        int pageNumber = Math.max(0, page);
        StringBuilder where = new StringBuilder(" where true");
        List<Object> parameters = new ArrayList<>();
        if (type != null) {
            where.append(" and type = ?");
            parameters.add(type);
        }
        if (clientId != null) {
            where.append(" and client_id = ?");
            parameters.add(clientId);
        }
        if (username != null) {
            where.append(" and username = ?");
            parameters.add(username.toLowerCase(java.util.Locale.ROOT));
        }
        long total = jdbc.sql("select count(*) from audit_event" + where).params(parameters)
                .query(Long.class).single();
        List<Object> paged = new ArrayList<>(parameters);
        paged.add(pageSize);
        paged.add((long) pageNumber * pageSize);
        List<StoredEvent> items = jdbc.sql("select id, occurred_at, type, client_id, username, source_ip, details::text"
                + " as details from audit_event" + where + " order by occurred_at desc, id desc limit ? offset ?")
                .params(paged)
                .query((rs, n) -> new StoredEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class),
                        rs.getString("type"), rs.getString("client_id"), rs.getString("username"),
                        rs.getString("source_ip"), json.readValue(rs.getString("details"), MAP)))
                .list();
        return new Page(items, pageNumber, pageSize, total);
    }
}
