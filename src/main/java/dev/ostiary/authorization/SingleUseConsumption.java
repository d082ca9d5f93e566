package dev.ostiary.authorization;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Single use, decided by PostgreSQL: the save that redeems an authorization code or rotates a refresh
 * token is a compare-and-swap on the row still holding that code or token, unused (one conditional
 * update, so the row lock decides between concurrent requests). Of any number of concurrent
 * redemptions exactly one succeeds; the others find the row changed, count as reuse, and revoke
 * every token of the authorization.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2</a>
 */
class SingleUseConsumption {

    private static final Logger log = LoggerFactory.getLogger(SingleUseConsumption.class);

    private final JdbcClient jdbc;
    private final AuthorizationRows rows;
    private final RegisteredClientRepository clients;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SingleUseConsumption(JdbcClient jdbc, AuthorizationRows rows, RegisteredClientRepository clients,
            ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.clients = clients;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Saves an authorization whose code is being redeemed or whose refresh token is being rotated,
     * only if its row still holds that code or token, not yet used. The rotated refresh token is
     * remembered in the same statement. When the row has changed since it was read, another request
     * used the value first: this one is a reuse, so the authorization is revoked and the request fails
     * with {@code invalid_grant}.
     */
    void consume(OAuth2Authorization authorization, Lookup lookup) {
        Map<String, Object> row = rows.columnsOf(authorization, clock.instant());
        List<Object> params = AuthorizationColumns.values(row, AuthorizationColumns.UPDATABLE);
        params.add(authorization.getId());
        params.add(lookup.digest());
        params.add(lookup.digest());
        params.add(lookup.kind() == Lookup.Kind.REFRESH_TOKEN);
        int consumed = jdbc.sql("""
                with consumed as (
                    update oauth2_authorization set %s
                     where id = ? and %s
                    returning id, expires_at),
                """.formatted(AuthorizationColumns.SET, lookup.kind().unusedCondition())
                + PostgresRefreshTokenFamilies.RECORD_CONSUMED + "select count(*) from consumed")
                .params(params)
                .query(Integer.class)
                .single();
        if (consumed == 0) {
            revokeAfterReuse(authorization, lookup.kind());
        }
    }

    /**
     * Saves the answer to a device flow's user code (approved, denied, expired) only if the row's user
     * code is still open: of two answers at the same time (two users who typed the same code, or one
     * user's approve and deny) exactly one is kept; the other fails with {@code invalid_grant} and
     * changes nothing (RFC 8628 §3.3: the user code is used once).
     */
    void closeUserCode(OAuth2Authorization authorization) {
        Map<String, Object> row = rows.columnsOf(authorization, clock.instant());
        List<Object> params = AuthorizationColumns.values(row, AuthorizationColumns.UPDATABLE);
        params.add(authorization.getId());
        params.add(row.get(AuthorizationColumns.USER_CODE_HASH));
        int closed = jdbc.sql("update oauth2_authorization set " + AuthorizationColumns.SET + " where id = ? and "
                + Lookup.USER_CODE_OPEN).params(params).update();
        if (closed == 0) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The user code was already used", null));
        }
    }

    private void revokeAfterReuse(OAuth2Authorization authorization, Lookup.Kind kind) {
        String principal = jdbc.sql("delete from oauth2_authorization where id = ? returning principal_name")
                .param(authorization.getId()).query(String.class).optional().orElse(authorization.getPrincipalName());
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        String clientId = client == null ? null : client.getClientId();
        log.warn("Concurrent reuse of {} by client {}: revoked authorization {} and every token in it",
                kind.description(), clientId, authorization.getId());
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.TOKEN_REUSE_DETECTED, clientId, principal,
                null, Map.of("authorizationId", authorization.getId(), "tokenType", kind.parameter())));
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                "The " + kind.description() + " was already used; every token issued with it has been revoked", null));
    }
}
