package dev.ostiary.authorization;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Refresh-token families in PostgreSQL: the authorization rows, and the refresh tokens that rotation
 * replaced ({@code oauth2_rotated_refresh_token}), which stay until their family expires so that
 * presenting one again is recognised as reuse.
 */
public class PostgresRefreshTokenFamilies implements RefreshTokenFamilies {

    /**
     * The refresh token a statement replaces goes to the rotated list (for reuse detection) in the
     * same statement that writes the new one: both parts see the row as it was. Parameters: the
     * authorization id and the new refresh token's digest. Written by {@link AuthorizationTable}.
     */
    static final String RECORD_REPLACED = """
                with rotated as (
                    insert into oauth2_rotated_refresh_token (token_hash, authorization_id, expires_at)
                    select refresh_token_hash, id, coalesce(refresh_token_expires_at, now() + interval '30 days')
                      from oauth2_authorization
                     where id = ? and refresh_token_hash is not null and refresh_token_hash is distinct from ?
                    on conflict do nothing)
                """;

    /**
     * The refresh token a compare-and-swap consumed ({@code consumed}, see {@link SingleUseConsumption})
     * goes to the rotated list. Parameters: its digest, and whether it was a refresh token at all.
     */
    static final String RECORD_CONSUMED = """
                rotated as (
                    insert into oauth2_rotated_refresh_token (token_hash, authorization_id, expires_at)
                    select ?, id, expires_at from consumed where cast(? as boolean)
                    on conflict do nothing)
                """;

    private static final Logger log = LoggerFactory.getLogger(PostgresRefreshTokenFamilies.class);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public PostgresRefreshTokenFamilies(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /**
     * One statement: the rotated list only grows, and the delete is conditional on the
     * authorization's client (and bound key).
     */
    @Override
    public boolean revokeFamilyIfRotated(String refreshToken, RegisteredClient presentingClient,
            String boundKeyThumbprint) {
        String registeredClientId = presentingClient == null ? null : presentingClient.getId();
        List<Map<String, Object>> rotated = jdbc.sql("""
                with rotated as (
                    select authorization_id from oauth2_rotated_refresh_token where token_hash = ?),
                revoked as (
                    delete from oauth2_authorization a using rotated r
                     where a.id = r.authorization_id and a.registered_client_id = cast(? as uuid)
                       and (cast(? as text) is null or a.access_token_jkt = ?)
                    returning a.id, a.principal_name)
                select r.authorization_id, v.principal_name, v.id is not null as revoked
                  from rotated r left join revoked v on v.id = r.authorization_id""")
                .params(TokenDigest.of(refreshToken), registeredClientId, boundKeyThumbprint, boundKeyThumbprint)
                .query().listOfRows();
        String clientId = presentingClient == null ? null : presentingClient.getClientId();
        boolean revokedAny = false;
        for (Map<String, Object> row : rotated) {
            String id = (String) row.get("authorization_id");
            if (Boolean.TRUE.equals(row.get("revoked"))) {
                revokedAny = true;
                log.warn("Refresh token reuse by client {}: revoked authorization {} and every token in it", clientId, id);
                events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.TOKEN_REUSE_DETECTED, clientId,
                        (String) row.get("principal_name"), null, Map.of("authorizationId", id)));
            } else {
                log.warn("A rotated refresh token of authorization {} was presented by another client ({}):"
                        + " refused, nothing revoked", id, clientId);
            }
        }
        return revokedAny;
    }

    @Override
    @Transactional
    public int revokeAll(String registeredClientId, String principalName) {
        return jdbc.sql("delete from oauth2_authorization where registered_client_id = cast(? as uuid)"
                + " and principal_name = ?").params(registeredClientId, principalName).update();
    }

    @Override
    @Transactional
    public int removeByPrincipal(String principalName) {
        return jdbc.sql("delete from oauth2_authorization where principal_name = ? and grant_type <> ?")
                .params(principalName, AuthorizationGrantType.CLIENT_CREDENTIALS.getValue()).update();
    }
}
