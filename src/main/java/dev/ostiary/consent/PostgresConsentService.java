package dev.ostiary.consent;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.scope.AuthorityNames;

/** Spring Authorization Server's consent store on our {@code oauth2_authorization_consent} table. */
public class PostgresConsentService implements OAuth2AuthorizationConsentService {

    /**
     * One remembered consent, for the "My consents" page.
     *
     * @param scopes the approved scopes (authorities without Spring's {@code SCOPE_} prefix)
     */
    public record StoredConsent(String registeredClientId, String principalName, List<String> scopes,
            Instant grantedAt, Instant updatedAt) {
    }

    private final JdbcClient jdbc;

    public PostgresConsentService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public void save(OAuth2AuthorizationConsent consent) {
        String[] authorities = consent.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted()
                .toArray(String[]::new);
        jdbc.sql("""
                insert into oauth2_authorization_consent (registered_client_id, principal_name, authorities)
                values (cast(? as uuid), ?, cast(? as text[]))
                on conflict (registered_client_id, principal_name)
                do update set authorities = excluded.authorities, updated_at = now()""")
                .params(consent.getRegisteredClientId(), consent.getPrincipalName(), authorities)
                .update();
    }

    @Override
    @Transactional
    public void remove(OAuth2AuthorizationConsent consent) {
        jdbc.sql("delete from oauth2_authorization_consent where registered_client_id = cast(? as uuid)"
                + " and principal_name = ?").params(consent.getRegisteredClientId(), consent.getPrincipalName())
                .update();
    }

    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return jdbc.sql("select authorities from oauth2_authorization_consent where registered_client_id = cast(? as uuid)"
                + " and principal_name = ?")
                .params(registeredClientId, principalName)
                .query((rs, n) -> {
                    OAuth2AuthorizationConsent.Builder builder = OAuth2AuthorizationConsent.withId(registeredClientId,
                            principalName);
                    for (String authority : strings(rs.getArray("authorities"))) {
                        builder.authority(new SimpleGrantedAuthority(authority));
                    }
                    return builder.build();
                })
                .optional().orElse(null);
    }

    public List<StoredConsent> findByPrincipal(String principalName) {
        return jdbc.sql("select registered_client_id, principal_name, authorities, granted_at, updated_at"
                + " from oauth2_authorization_consent where principal_name = ? order by granted_at")
                .param(principalName)
                .query((rs, n) -> new StoredConsent(rs.getString("registered_client_id"), rs.getString("principal_name"),
                        strings(rs.getArray("authorities")).stream()
                                .map(AuthorityNames::scopeOf).toList(),
                        rs.getObject("granted_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
