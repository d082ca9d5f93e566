package dev.ostiary.user;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.problem.ControlCharacters;
import dev.ostiary.problem.InvalidRequestException;

/**
 * The user list of the operator console: search, filters and keyset paging over {@code app_user}, one
 * query per page and one count, so page 1 and page 2,000 of 100,000 users cost the same. Paging is by
 * user name (unique, stored lower-case), never by offset: an offset reads and discards every row before
 * the page, and shifts when users sign up while an operator pages.
 */
public class UserDirectory {

    /** The most rows a page may ask for. */
    public static final int MAX_PAGE_SIZE = 200;

    /** Which accounts, by what stops them signing in. */
    public enum State {
        /** Enabled and not locked by an administrator. */
        ACTIVE,
        /** Locked by an administrator. */
        LOCKED,
        /** Disabled. */
        DISABLED;

        /** The query parameter's value, or an {@code invalid_request} naming the allowed ones. */
        public static State of(String value) {
            for (State state : values()) {
                if (state.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return state;
                }
            }
            throw new InvalidRequestException("state", "is one of active, locked, disabled");
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to list.
     *
     * @param text part of the user name or e-mail address, any case; blank for all
     * @param role a role the user has (exact, upper case); blank for any
     * @param state only accounts in that state; null for any
     * @param after the user name the page starts after (next pages)
     * @param before the user name the page ends before (previous pages); ignored when {@code after} is set
     * @param size rows per page, 1 to {@value #MAX_PAGE_SIZE}
     */
    public record Query(String text, String role, State state, String after, String before, int size) {

        public Query {
            ControlCharacters.refuse("q", text, role, after, before);
            text = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            role = role == null ? "" : role.strip().toUpperCase(Locale.ROOT);
            after = after == null || after.isBlank() ? null : after;
            before = after != null || before == null || before.isBlank() ? null : before;
            size = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        }
    }

    /** One row of the list. */
    public record Row(String username, String email, List<String> roles, boolean enabled, boolean locked,
            Instant createdAt) {
    }

    /** A page: its rows, whether there are more after and before it, and how many users match in all. */
    public record Page(List<Row> rows, boolean hasNext, boolean hasPrevious, long total) {

        public String firstUsername() {
            return rows.isEmpty() ? null : rows.get(0).username();
        }

        public String lastUsername() {
            return rows.isEmpty() ? null : rows.get(rows.size() - 1).username();
        }
    }

    /**
     * What a user holds now, for the console's page and confirmations ("locking ends 2 sessions and
     * revokes 5 live authorizations").
     *
     * @param sessions browser sessions signed in as the user
     * @param liveAuthorizations authorization rows with anything unexpired (codes, tokens)
     * @param consents consents the user gave
     * @param authenticatorApp whether an authenticator app is enrolled (confirmed)
     * @param passkeys registered passkeys
     */
    public record Footprint(long sessions, long liveAuthorizations, long consents, boolean authenticatorApp,
            long passkeys) {
    }

    /** A consent the user gave a client: what it may ask for without asking again. */
    public record Consent(String clientId, String clientName, List<String> scopes) {
    }

    private final JdbcClient jdbc;

    public UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Page find(Query query) {
        Map<String, Object> params = new LinkedHashMap<>();
        String filters = filters(query, params);
        boolean backwards = query.before() != null;
        StringBuilder page = new StringBuilder(filters);
        if (query.after() != null) {
            page.append(" and u.username > :after");
            params.put("after", query.after());
        } else if (backwards) {
            page.append(" and u.username < :before");
            params.put("before", query.before());
        }
        params.put("limit", query.size() + 1);
        List<Row> rows = new ArrayList<>(jdbc.sql("""
                select u.username, u.email, u.enabled, u.locked, u.created_at,
                       array(select r.role from user_role r where r.user_id = u.id order by r.role) as roles
                from app_user u
                where true""" + page + " order by u.username " + (backwards ? "desc" : "asc") + " limit :limit")
                .params(params).query(UserDirectory::row).list());
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
        long total = jdbc.sql("select count(*) from app_user u where true" + filters).params(params)
                .query(Long.class).single();
        boolean hasNext = backwards || more;
        boolean hasPrevious = backwards ? more : query.after() != null;
        return new Page(List.copyOf(rows), hasNext && !rows.isEmpty(), hasPrevious && !rows.isEmpty(), total);
    }

    @Transactional(readOnly = true)
    public Footprint footprint(String username) {
        return footprintOf(username);
    }

    /** The user's consents, by client id; the scopes without Spring's {@code SCOPE_} prefix. */
    @Transactional(readOnly = true)
    public List<Consent> consents(String username) {
        return jdbc.sql("""
                select c.client_id, c.client_name, k.authorities from oauth2_authorization_consent k
                join client c on c.id = k.registered_client_id
                where k.principal_name = ? order by c.client_id""")
                .param(username.toLowerCase(Locale.ROOT))
                .query((rs, n) -> new Consent(rs.getString("client_id"), rs.getString("client_name"),
                        java.util.Arrays.stream((String[]) rs.getArray("authorities").getArray())
                                .map(a -> a.startsWith("SCOPE_") ? a.substring(6) : a).sorted().toList()))
                .list();
    }

    private Footprint footprintOf(String username) {
        return jdbc.sql("""
                select (select count(*) from spring_session s where s.principal_name = u.username
                           -- live ones: not past their idle expiry, not marked expired by a sign-out
                           -- everywhere or a lock (Spring Session's SpringSessionBackedSessionInformation.EXPIRED)
                           and s.expiry_time > (extract(epoch from clock_timestamp()) * 1000)::bigint
                           and not exists (select 1 from spring_session_attributes a
                                            where a.session_primary_id = s.primary_id
                                              and a.attribute_name = 'org.springframework.session.security.SpringSessionBackedSessionInformation.EXPIRED'))
                       as sessions,
                       (select count(*) from oauth2_authorization a
                         where a.principal_name = u.username and a.expires_at > now()) as live,
                       (select count(*) from oauth2_authorization_consent k where k.principal_name = u.username) as consents,
                       exists (select 1 from totp_credential t where t.user_id = u.id and t.confirmed_at is not null) as app,
                       (select count(*) from user_credentials p where p.user_id = u.id) as passkeys
                from app_user u where u.username = ?""")
                .param(username.toLowerCase(Locale.ROOT))
                .query((rs, n) -> new Footprint(rs.getLong("sessions"), rs.getLong("live"), rs.getLong("consents"),
                        rs.getBoolean("app"), rs.getLong("passkeys")))
                .optional().orElse(new Footprint(0, 0, 0, false, 0));
    }

    private static String filters(Query query, Map<String, Object> params) {
        StringBuilder where = new StringBuilder();
        if (!query.text().isEmpty()) {
            // both columns are stored lower-case, so LIKE on the lower-cased text is a case-blind search
            where.append(" and (u.username like :text escape '\\' or u.email like :text escape '\\')");
            params.put("text", "%" + likeLiteral(query.text()) + "%");
        }
        if (!query.role().isEmpty()) {
            where.append(" and exists (select 1 from user_role r where r.user_id = u.id and r.role = :role)");
            params.put("role", query.role());
        }
        if (query.state() != null) {
            where.append(switch (query.state()) {
                case ACTIVE -> " and u.enabled and not u.locked";
                case LOCKED -> " and u.locked";
                case DISABLED -> " and not u.enabled";
            });
        }
        return where.toString();
    }

    /** The text as a LIKE literal: its own {@code %}, {@code _} and {@code \} match themselves. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new Row(rs.getString("username"), rs.getString("email"), strings(rs.getArray("roles")),
                rs.getBoolean("enabled"), rs.getBoolean("locked"), created == null ? null : created.toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
