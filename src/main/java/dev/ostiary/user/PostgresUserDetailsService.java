package dev.ostiary.user;

import java.sql.Array;
import java.sql.SQLException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Users for Spring Security, as Spring's own {@link User}: it is what authorizations store as their
 * principal, and Spring's JSON mapping of stored authorizations knows it.
 *
 * One SQL query rather than the repository: every login and password grant comes here, and the
 * JPA way (a derived query, then a second one for the roles collection, or an entity graph that
 * Hibernate re-translates to SQL on every call) cost 2.6 ms of CPU per password grant, a tenth of the
 * Argon2 hash it precedes (docs/performance.md).
 */
public class PostgresUserDetailsService implements UserDetailsService {

    private final JdbcClient jdbc;

    public PostgresUserDetailsService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("""
                select u.username, u.password_hash, u.enabled, u.locked,
                       array_remove(array_agg(r.role order by r.role), null) as roles
                from app_user u left join user_role r on r.user_id = u.id
                where u.username = ?
                group by u.id""")
                .param(AppUser.normalize(username))
                .query((rs, n) -> User.withUsername(rs.getString("username"))
                        .password(rs.getString("password_hash"))
                        .roles(roles(rs.getArray("roles")))
                        .disabled(!rs.getBoolean("enabled"))
                        .accountLocked(rs.getBoolean("locked"))
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
    }

    private static String[] roles(Array roles) throws SQLException {
        return roles == null ? new String[0] : (String[]) roles.getArray();
    }
}
