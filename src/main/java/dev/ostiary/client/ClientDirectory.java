package dev.ostiary.client;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.problem.ControlCharacters;

/**
 * The client list of the operator console: search, filters and keyset paging over the client table,
 * one query per page (and one count), so a page costs the same with ten clients or ten thousand. Keyset
 * paging (after or before a client id, never an offset): an offset makes PostgreSQL read and discard
 * every row before the page, and shifts when clients are added while an operator pages.
 *
 * <p>"Last used" is the newest {@code token.issued} audit event of the client: what the audit trail
 * still holds ({@code ostiary.audit.retention}), so "never" means "not within the retention".
 */
public class ClientDirectory {

    /** The most rows a page may ask for. */
    public static final int MAX_PAGE_SIZE = 200;

    /**
     * What to list.
     *
     * @param text part of the client id or name, any case; blank for all
     * @param grant a grant type the client has; blank for any
     * @param registeredBy who registered it; null for anyone
     * @param owner the self-service owner's user name; blank for any
     * @param unusedDays only clients that got no token in that many days; 0 for any
     * @param after the client id the page starts after (next pages)
     * @param before the client id the page ends before (previous pages); ignored when {@code after} is set
     * @param size rows per page, 1 to {@value #MAX_PAGE_SIZE}
     */
    public record Query(String text, String grant, RegisteredBy registeredBy, String owner, int unusedDays,
            String after, String before, int size) {

        public Query {
            ControlCharacters.refuse("q", text, grant, owner, after, before);
            text = text == null ? "" : text.strip();
            grant = grant == null ? "" : grant.strip();
            owner = owner == null ? "" : owner.strip();
            unusedDays = Math.max(0, Math.min(unusedDays, 3650));
            after = after == null || after.isBlank() ? null : after;
            before = after != null || before == null || before.isBlank() ? null : before;
            size = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        }
    }

    /** One row of the list. */
    public record Row(String clientId, String clientName, List<String> grantTypes, List<String> authMethods,
            String owner, RegisteredBy registeredBy, boolean enabled, Instant lastUsed) {
    }

    /**
     * A page: its rows, whether there are more after and before it, and how many clients match in all.
     */
    public record Page(List<Row> rows, boolean hasNext, boolean hasPrevious, long total) {

        public String firstId() {
            return rows.isEmpty() ? null : rows.get(0).clientId();
        }

        public String lastId() {
            return rows.isEmpty() ? null : rows.get(rows.size() - 1).clientId();
        }
    }

    /**
     * What a client holds now, for the console's confirmations ("deleting it removes 12 live
     * authorizations and 3 consents").
     *
     * @param liveAuthorizations rows with anything unexpired: codes, refresh tokens, users' access tokens
     * @param consents users' remembered consents
     * @param lastUsed its newest {@code token.issued} event, or null
     */
    public record Footprint(long liveAuthorizations, long consents, Instant lastUsed) {
    }

    private final JdbcClient jdbc;

    public ClientDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Page find(Query query) {
        Map<String, Object> params = new LinkedHashMap<>();
        String filters = filters(query, params);
        boolean backwards = query.before() != null;
        StringBuilder page = new StringBuilder(filters);
        if (query.after() != null) {
            page.append(" and c.client_id > :after");
            params.put("after", query.after());
        } else if (backwards) {
            page.append(" and c.client_id < :before");
            params.put("before", query.before());
        }
        params.put("limit", query.size() + 1);
        List<Row> rows = new ArrayList<>(jdbc.sql("""
                select c.client_id, c.client_name, c.grant_types, c.auth_methods, c.owner_username, c.registered_by,
                       c.enabled,
                       (select t.last_issued_at from client_last_token t where t.client_id = c.client_id) as last_used
                from client c
                where true""" + page + " order by c.client_id " + (backwards ? "desc" : "asc") + " limit :limit")
                .params(params).query(ClientDirectory::row).list());
        boolean more = rows.size() > query.size();
        if (more) {
            rows.remove(rows.size() - 1);
        }
        if (backwards) {
            Collections.reverse(rows);
        }
        params.remove("after");
        params.remove("before");
        params.remove("limit");
        long total = jdbc.sql("select count(*) from client c where true" + filters).params(params)
                .query(Long.class).single();
        boolean hasNext = backwards ? true : more;
        boolean hasPrevious = backwards ? more : query.after() != null;
        return new Page(List.copyOf(rows), hasNext && !rows.isEmpty(), hasPrevious && !rows.isEmpty(), total);
    }

    @Transactional(readOnly = true)
    public Footprint footprint(String clientId) {
        return jdbc.sql("""
                select (select count(*) from oauth2_authorization a
                         where a.registered_client_id = c.id and a.expires_at > now()) as live,
                       (select count(*) from oauth2_authorization_consent k where k.registered_client_id = c.id) as consents,
                       (select t.last_issued_at from client_last_token t where t.client_id = c.client_id) as last_used
                from client c where c.client_id = ?""")
                .param(clientId)
                .query((rs, n) -> {
                    OffsetDateTime lastUsed = rs.getObject("last_used", OffsetDateTime.class);
                    return new Footprint(rs.getLong("live"), rs.getLong("consents"),
                            lastUsed == null ? null : lastUsed.toInstant());
                })
                .optional().orElse(new Footprint(0, 0, null));
    }

    private static String filters(Query query, Map<String, Object> params) {
        StringBuilder where = new StringBuilder();
        if (!query.text().isEmpty()) {
            where.append(" and (c.client_id ilike :text escape '\\' or c.client_name ilike :text escape '\\')");
            params.put("text", "%" + likeLiteral(query.text()) + "%");
        }
        if (!query.grant().isEmpty()) {
            where.append(" and :grant = any (c.grant_types)");
            params.put("grant", query.grant());
        }
        if (query.registeredBy() != null) {
            where.append(" and c.registered_by = :registeredBy");
            params.put("registeredBy", query.registeredBy().value());
        }
        if (!query.owner().isEmpty()) {
            where.append(" and c.owner_username = :owner");
            params.put("owner", query.owner());
        }
        if (query.unusedDays() > 0) {
            where.append(" and not exists (select 1 from client_last_token t where t.client_id = c.client_id"
                    + " and t.last_issued_at > now() - make_interval(days => :unusedDays))");
            params.put("unusedDays", query.unusedDays());
        }
        return where.toString();
    }

    /** The text as a LIKE literal: its own {@code %}, {@code _} and {@code \} match themselves. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime lastUsed = rs.getObject("last_used", OffsetDateTime.class);
        return new Row(rs.getString("client_id"), rs.getString("client_name"), strings(rs.getArray("grant_types")),
                strings(rs.getArray("auth_methods")), rs.getString("owner_username"),
                RegisteredBy.of(rs.getString("registered_by")), rs.getBoolean("enabled"),
                lastUsed == null ? null : lastUsed.toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** Which clients list one scope or resource: how many, and the first few by client id. */
    public record Usage(long clients, List<String> first) {

        public static final Usage NONE = new Usage(0, List.of());
    }

    /** How many clients may ask for each scope (by name), with the first {@code shown} of them. */
    @Transactional(readOnly = true)
    public Map<String, Usage> scopeUsage(int shown) {
        return usage("scopes", shown);
    }

    /** How many clients may ask tokens for each resource (by URI), with the first {@code shown} of them. */
    @Transactional(readOnly = true)
    public Map<String, Usage> resourceUsage(int shown) {
        return usage("resources", shown);
    }

    private Map<String, Usage> usage(String column, int shown) {
        // column is one of two constants above, never input
        Map<String, Usage> usage = new LinkedHashMap<>();
        jdbc.sql("select v, count(*) as n, (array_agg(c.client_id order by c.client_id))[1:" + Math.max(1, shown)
                + "] as first from client c, unnest(c." + column + ") v group by v order by v")
                .query(rs -> {
                    usage.put(rs.getString("v"), new Usage(rs.getLong("n"), strings(rs.getArray("first"))));
                });
        return usage;
    }
}
