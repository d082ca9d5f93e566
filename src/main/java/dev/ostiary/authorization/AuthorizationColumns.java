package dev.ostiary.authorization;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of {@code oauth2_authorization} (db/migration V1, V4, V11) in the order of every statement's
 * placeholders, with the SQL they are bound through. A row travels as a map from column name to
 * value in the types JDBC binds and reads back unchanged ({@code byte[]} digests,
 * {@link OffsetDateTime} in UTC, {@code String[]} for {@code text[]}, JSON as text), so that
 * {@link AuthorizationRows} maps rows without a database.
 */
final class AuthorizationColumns {

    static final String ID = "id";
    static final String REGISTERED_CLIENT_ID = "registered_client_id";
    static final String STATE_HASH = "state_hash";
    static final String CODE_HASH = "code_hash";
    static final String ACCESS_TOKEN_HASH = "access_token_hash";
    static final String REFRESH_TOKEN_HASH = "refresh_token_hash";
    static final String ID_TOKEN_HASH = "id_token_hash";
    static final String DEVICE_CODE_HASH = "device_code_hash";
    static final String USER_CODE_HASH = "user_code_hash";

    /** How a value is bound and read. */
    enum Type {
        TEXT("?"), UUID("cast(? as uuid)"), TEXT_ARRAY("cast(? as text[])"), JSONB("cast(? as jsonb)"),
        BYTEA("?"), TIMESTAMPTZ("?"), BOOLEAN("?");

        private final String placeholder;

        Type(String placeholder) {
            this.placeholder = placeholder;
        }
    }

    record Column(String name, Type type) {
    }

    static final List<Column> ALL = List.of(
            new Column(ID, Type.TEXT), new Column(REGISTERED_CLIENT_ID, Type.UUID),
            new Column("principal_name", Type.TEXT), new Column("grant_type", Type.TEXT),
            new Column("authorized_scopes", Type.TEXT_ARRAY), new Column("attributes", Type.JSONB),
            new Column(STATE_HASH, Type.BYTEA),
            new Column(CODE_HASH, Type.BYTEA), new Column("code_issued_at", Type.TIMESTAMPTZ),
            new Column("code_expires_at", Type.TIMESTAMPTZ), new Column("code_metadata", Type.JSONB),
            new Column(ACCESS_TOKEN_HASH, Type.BYTEA), new Column("access_token_type", Type.TEXT),
            new Column("access_token_issued_at", Type.TIMESTAMPTZ),
            new Column("access_token_expires_at", Type.TIMESTAMPTZ),
            new Column("access_token_scopes", Type.TEXT_ARRAY), new Column("access_token_invalidated", Type.BOOLEAN),
            new Column("access_token_jkt", Type.TEXT),
            new Column(REFRESH_TOKEN_HASH, Type.BYTEA), new Column("refresh_token_issued_at", Type.TIMESTAMPTZ),
            new Column("refresh_token_expires_at", Type.TIMESTAMPTZ),
            new Column("refresh_token_metadata", Type.JSONB),
            new Column(ID_TOKEN_HASH, Type.BYTEA), new Column("id_token_issued_at", Type.TIMESTAMPTZ),
            new Column("id_token_expires_at", Type.TIMESTAMPTZ), new Column("id_token_metadata", Type.JSONB),
            new Column("expires_at", Type.TIMESTAMPTZ),
            // V11, the device authorization grant (RFC 8628); its polling columns are the grant's own
            new Column(DEVICE_CODE_HASH, Type.BYTEA), new Column("device_code_issued_at", Type.TIMESTAMPTZ),
            new Column("device_code_expires_at", Type.TIMESTAMPTZ), new Column("device_code_metadata", Type.JSONB),
            new Column(USER_CODE_HASH, Type.BYTEA), new Column("user_code_issued_at", Type.TIMESTAMPTZ),
            new Column("user_code_expires_at", Type.TIMESTAMPTZ), new Column("user_code_metadata", Type.JSONB));

    /** Every column but the id: what an update binds, in this order, before its where clause. */
    static final List<Column> UPDATABLE = ALL.subList(1, ALL.size());

    /** {@code insert ... on conflict (id) do update}: the client of an authorization never changes. */
    static final String UPSERT = "insert into oauth2_authorization (%s) values (%s) on conflict (id) do update set %s"
            .formatted(join(ALL, Column::name), join(ALL, c -> c.type().placeholder),
                    join(UPDATABLE.subList(1, UPDATABLE.size()), c -> c.name() + " = excluded." + c.name()));

    /** The set clause of an update, bound with {@link #UPDATABLE}'s values. */
    static final String SET = join(UPDATABLE, c -> c.name() + " = " + c.type().placeholder);

    private AuthorizationColumns() {
    }

    /** The values to bind for {@code columns}, taken from a row's map (a list the caller may extend). */
    static List<Object> values(Map<String, Object> row, List<Column> columns) {
        List<Object> values = new ArrayList<>(columns.size());
        columns.forEach(c -> values.add(row.get(c.name())));
        return values;
    }

    /** The current row of {@code rs} as a map (what {@link AuthorizationRows#columnsOf} produces). */
    static Map<String, Object> read(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : ALL) {
            String name = column.name();
            row.put(name, switch (column.type()) {
                case BYTEA -> rs.getBytes(name);
                case TIMESTAMPTZ -> rs.getObject(name, OffsetDateTime.class);
                case TEXT_ARRAY -> strings(rs.getArray(name));
                case BOOLEAN -> rs.getBoolean(name);
                case TEXT, UUID, JSONB -> rs.getString(name);
            });
        }
        return row;
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? null : (String[]) array.getArray();
    }

    private static String join(List<Column> columns, Function<Column, String> part) {
        return columns.stream().map(part).collect(Collectors.joining(", "));
    }
}
