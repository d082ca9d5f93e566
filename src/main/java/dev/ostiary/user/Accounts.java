package dev.ostiary.user;

import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.audit.KnownUsers;

/**
 * Reads a user's current standing in one query, for the places that re-check a user after the fact:
 * refresh and code redemption, the admin API, self-service clients acting for themselves.
 */
public class Accounts implements KnownUsers {

    private final JdbcClient jdbc;

    public Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Account> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select u.username, u.enabled, u.locked, u.created_at,
                       array_remove(array_agg(r.role order by r.role), null) as roles
                from app_user u left join user_role r on r.user_id = u.id
                where u.username = ?
                group by u.id""")
                .param(AppUser.normalize(username))
                .query((rs, n) -> new Account(rs.getString("username"), rs.getBoolean("enabled"),
                        rs.getBoolean("locked"), roles(rs.getArray("roles")),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Whether a user of that name exists (a name typed at a login form may be anything, a password too). */
    @Override
    public boolean exists(String username) {
        return username != null && jdbc.sql("select exists (select 1 from app_user where username = ?)")
                .param(AppUser.normalize(username)).query(Boolean.class).single();
    }

    private static Set<String> roles(Array roles) throws SQLException {
        return roles == null ? Set.of() : Set.of((String[]) roles.getArray());
    }
}
