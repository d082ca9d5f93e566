package dev.ostiary.authorization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import com.nimbusds.jwt.JWTParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.grant.OstiaryGrantTypes;

/**
 * Spring Authorization Server's authorization store on PostgreSQL, shaped for the token endpoint's
 * hot path:
 * <ul>
 * <li>token values are stored as SHA-256 digests, each looked up through its own unique index;</li>
 * <li>access tokens without a grant worth remembering (client_credentials, implicit) get no row at
 * all: they are verified by signature, and revoking one lists its {@code jti} until it
 * expires;</li>
 * <li>a refresh token replaced by rotation is remembered, so that presenting it again revokes the
 * whole family (RFC 9700 §4.14.2).</li>
 * <li>single use is decided by PostgreSQL: the save that consumes an authorization code or rotates
 * a refresh token is a compare-and-swap on the row still holding that code or token, unused. Of any
 * number of concurrent redemptions exactly one succeeds; the others find the row changed, count as
 * reuse, and revoke every token of the authorization (RFC 6749 §4.1.2, RFC 9700 §4.14.2).</li>
 * <li>nothing a client sends is read as a stored digest: lookups always hash their input
 * ({@link TokenDigest#of}), and every JWT access token must also verify against the published
 * keys, so emergency key revocation makes row-backed tokens inactive too.</li>
 * </ul>
 */
public class PostgresAuthorizationService implements OAuth2AuthorizationService {

    /**
     * The refresh token a statement replaces goes to the rotated list (for reuse detection) in the
     * same statement that writes the new one: both parts see the row as it was. Parameters: the
     * authorization id and the new refresh token's digest.
     */
    private static final String RECORD_ROTATED = """
                with rotated as (
                    insert into oauth2_rotated_refresh_token (token_hash, authorization_id, expires_at)
                    select refresh_token_hash, id, coalesce(refresh_token_expires_at, now() + interval '30 days')
                      from oauth2_authorization
                     where id = ? and refresh_token_hash is not null and refresh_token_hash is distinct from ?
                    on conflict do nothing)
                """;

    private static final Logger log = LoggerFactory.getLogger(PostgresAuthorizationService.class);
    private static final String STATELESS_ID_PREFIX = "stateless:";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final RegisteredClientRepository clients;
    private final JsonMapper json;
    private final JwtDecoder ownTokens;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final RevokedAccessTokens revokedTokens;

    public PostgresAuthorizationService(JdbcClient jdbc, RegisteredClientRepository clients, JsonMapper json,
            JwtDecoder ownTokens, ApplicationEventPublisher events, Clock clock, RevokedAccessTokens revokedTokens) {
        this.revokedTokens = revokedTokens;
        this.jdbc = jdbc;
        this.clients = clients;
        this.json = json;
        this.ownTokens = ownTokens;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Not transactional as a whole on purpose: a client_credentials token saves nothing, and must not
     * even borrow a database connection (it keeps working while the database is down).
     */
    @Override
    public void save(OAuth2Authorization authorization) {
        if (isStateless(authorization)) {
            saveStateless(authorization);
            return;
        }
        Lookup lookup = authorization.getAttribute(Lookup.ATTRIBUTE);
        if (lookup == null) {
            saveRow(authorization);
        } else if (lookup.isConsumedBy(authorization)) {
            consume(authorization, lookup);
        } else {
            updateRow(authorization);
        }
    }

    /** The columns an update writes, in the order of {@link Row}'s values after the id. */
    private static final String SET_COLUMNS = """
            registered_client_id = cast(? as uuid), principal_name = ?, grant_type = ?,
            authorized_scopes = cast(? as text[]), attributes = cast(? as jsonb), state_hash = ?,
            code_hash = ?, code_issued_at = ?, code_expires_at = ?, code_metadata = cast(? as jsonb),
            access_token_hash = ?, access_token_type = ?, access_token_issued_at = ?,
            access_token_expires_at = ?, access_token_scopes = cast(? as text[]),
            access_token_invalidated = ?, access_token_jkt = ?,
            refresh_token_hash = ?, refresh_token_issued_at = ?, refresh_token_expires_at = ?,
            refresh_token_metadata = cast(? as jsonb),
            id_token_hash = ?, id_token_issued_at = ?, id_token_expires_at = ?,
            id_token_metadata = cast(? as jsonb), expires_at = ?""";

    /**
     * Saves an authorization that was read from the database and uses up nothing (a consent
     * answered, a token revoked): an update only, so an authorization revoked (deleted) meanwhile is
     * not brought back to life by a request that read it before.
     */
    private void updateRow(OAuth2Authorization authorization) {
        Object[] values = Row.of(authorization, json, clock.instant()).values();
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        List<Object> params = new ArrayList<>();
        params.add(authorization.getId());
        params.add(refresh == null ? null : TokenDigest.ofStored(refresh.getToken().getTokenValue()));
        params.addAll(Arrays.asList(values).subList(1, values.length));
        params.add(authorization.getId());
        jdbc.sql(RECORD_ROTATED + "update oauth2_authorization set %s where id = ?".formatted(SET_COLUMNS))
                .params(params)
                .update();
    }

    /**
     * Saves an authorization whose code is being redeemed or whose refresh token is being rotated:
     * only if its row still holds that code or token, not yet used (one conditional update, so the
     * row lock decides between concurrent requests). The rotated refresh token is remembered in the
     * same statement. When the row has changed since it was read, another request used the value
     * first: this one is a reuse, so the authorization is revoked and the request fails.
     */
    private void consume(OAuth2Authorization authorization, Lookup lookup) {
        Object[] values = Row.of(authorization, json, clock.instant()).values();
        List<Object> params = new ArrayList<>(Arrays.asList(values).subList(1, values.length));
        params.add(authorization.getId());
        params.add(lookup.digest());
        params.add(lookup.digest());
        params.add(lookup.kind() == Lookup.Kind.REFRESH_TOKEN);
        int consumed = jdbc.sql("""
                with consumed as (
                    update oauth2_authorization set %s
                     where id = ? and %s
                    returning id, expires_at),
                rotated as (
                    insert into oauth2_rotated_refresh_token (token_hash, authorization_id, expires_at)
                    select ?, id, expires_at from consumed where cast(? as boolean)
                    on conflict do nothing)
                select count(*) from consumed""".formatted(SET_COLUMNS, lookup.kind().unusedCondition()))
                .params(params)
                .query(Integer.class)
                .single();
        if (consumed == 0) {
            revokeAfterReuse(authorization, lookup.kind());
        }
    }

    private void revokeAfterReuse(OAuth2Authorization authorization, Lookup.Kind kind) {
        String principal = jdbc.sql("delete from oauth2_authorization where id = ? returning principal_name")
                .param(authorization.getId()).query(String.class).optional().orElse(authorization.getPrincipalName());
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        String clientId = client == null ? null : client.getClientId();
        log.warn("Concurrent reuse of {} by client {}: revoked authorization {} and every token in it",
                kind.description(), clientId, authorization.getId());
        events.publishEvent(AuditEvent.of(AuditEventType.TOKEN_REUSE_DETECTED, clientId, principal,
                Map.of("authorizationId", authorization.getId(), "tokenType", kind.parameter())));
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                "The " + kind.description() + " was already used; every token issued with it has been revoked", null));
    }

    /**
     * That an authorization was read from the database, and, when it was found by a value that may be
     * used once (a code, a refresh token), that value's digest and whether it was already used. It
     * travels in the authorization's attributes (Spring's providers copy them into the authorization
     * they save) and is never stored.
     *
     * @param kind what the authorization was found by, or null (by id, state, access or ID token)
     */
    record Lookup(Kind kind, byte[] digest, boolean wasUsed) implements java.io.Serializable {

        static final String ATTRIBUTE = Lookup.class.getName();

        enum Kind {
            AUTHORIZATION_CODE("code_hash", "code_metadata", OAuth2ParameterNames.CODE, "authorization code"),
            REFRESH_TOKEN("refresh_token_hash", "refresh_token_metadata", OAuth2ParameterNames.REFRESH_TOKEN,
                    "refresh token");

            private final String column;
            private final String metadataColumn;
            private final String parameter;
            private final String description;

            Kind(String column, String metadataColumn, String parameter, String description) {
                this.column = column;
                this.metadataColumn = metadataColumn;
                this.parameter = parameter;
                this.description = description;
            }

            static Kind of(String column) {
                for (Kind kind : values()) {
                    if (kind.column.equals(column)) {
                        return kind;
                    }
                }
                return null;
            }

            /** The row still holds the value (bound next), and it was not invalidated (used, revoked). */
            String unusedCondition() {
                return column + " = ? and coalesce(" + metadataColumn + " ->> '"
                        + OAuth2Authorization.Token.INVALIDATED_METADATA_NAME + "', 'false') <> 'true'";
            }

            String parameter() {
                return parameter;
            }

            String description() {
                return description;
            }
        }

        /**
         * Whether saving {@code authorization} uses up the value it was found by: its code is now
         * invalidated (redeemed, or presented by the wrong client), or its refresh token was replaced.
         */
        boolean isConsumedBy(OAuth2Authorization authorization) {
            if (kind == null || wasUsed) {
                // already used when it was read: saving tokens invalidated after a sequential reuse
                return false;
            }
            return switch (kind) {
                case AUTHORIZATION_CODE -> {
                    OAuth2Authorization.Token<OAuth2AuthorizationCode> code =
                            authorization.getToken(OAuth2AuthorizationCode.class);
                    yield code != null && code.isInvalidated()
                            && java.security.MessageDigest.isEqual(digest, TokenDigest.ofStored(code.getToken().getTokenValue()));
                }
                case REFRESH_TOKEN -> {
                    OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
                    yield refresh == null || !java.security.MessageDigest.isEqual(digest,
                            TokenDigest.ofStored(refresh.getToken().getTokenValue()));
                }
            };
        }
    }

    private void saveRow(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        byte[] refreshHash = refresh == null ? null : TokenDigest.ofStored(refresh.getToken().getTokenValue());
        Row row = Row.of(authorization, json, clock.instant());
        List<Object> params = new ArrayList<>(List.of(authorization.getId()));
        params.add(refreshHash);
        params.addAll(Arrays.asList(row.values()));
        // One statement, so atomic without a transaction (which would cost a round trip and a JPA session
        // per token). Both parts see the row as it was: the refresh token being replaced goes to the
        // rotated list, for reuse detection, while the new one is written.
        jdbc.sql(RECORD_ROTATED + """
                insert into oauth2_authorization (id, registered_client_id, principal_name, grant_type,
                    authorized_scopes, attributes, state_hash,
                    code_hash, code_issued_at, code_expires_at, code_metadata,
                    access_token_hash, access_token_type, access_token_issued_at, access_token_expires_at,
                    access_token_scopes, access_token_invalidated, access_token_jkt,
                    refresh_token_hash, refresh_token_issued_at, refresh_token_expires_at, refresh_token_metadata,
                    id_token_hash, id_token_issued_at, id_token_expires_at, id_token_metadata, expires_at)
                values (?, cast(? as uuid), ?, ?, cast(? as text[]), cast(? as jsonb), ?,
                    ?, ?, ?, cast(? as jsonb),
                    ?, ?, ?, ?, cast(? as text[]), ?, ?,
                    ?, ?, ?, cast(? as jsonb),
                    ?, ?, ?, cast(? as jsonb), ?)
                on conflict (id) do update set
                    principal_name = excluded.principal_name, grant_type = excluded.grant_type,
                    authorized_scopes = excluded.authorized_scopes, attributes = excluded.attributes,
                    state_hash = excluded.state_hash,
                    code_hash = excluded.code_hash, code_issued_at = excluded.code_issued_at,
                    code_expires_at = excluded.code_expires_at, code_metadata = excluded.code_metadata,
                    access_token_hash = excluded.access_token_hash, access_token_type = excluded.access_token_type,
                    access_token_issued_at = excluded.access_token_issued_at,
                    access_token_expires_at = excluded.access_token_expires_at,
                    access_token_scopes = excluded.access_token_scopes,
                    access_token_invalidated = excluded.access_token_invalidated,
                    access_token_jkt = excluded.access_token_jkt,
                    refresh_token_hash = excluded.refresh_token_hash,
                    refresh_token_issued_at = excluded.refresh_token_issued_at,
                    refresh_token_expires_at = excluded.refresh_token_expires_at,
                    refresh_token_metadata = excluded.refresh_token_metadata,
                    id_token_hash = excluded.id_token_hash, id_token_issued_at = excluded.id_token_issued_at,
                    id_token_expires_at = excluded.id_token_expires_at, id_token_metadata = excluded.id_token_metadata,
                    expires_at = excluded.expires_at""")
                .params(params)
                .update();
    }

    @Override
    @Transactional
    public void remove(OAuth2Authorization authorization) {
        if (authorization.getId().startsWith(STATELESS_ID_PREFIX)) {
            return;
        }
        jdbc.sql("delete from oauth2_authorization where id = ?").param(authorization.getId()).update();
    }

    @Override
    public OAuth2Authorization findById(String id) {
        if (id == null || id.startsWith(STATELESS_ID_PREFIX)) {
            return null;
        }
        return jdbc.sql("select * from oauth2_authorization where id = ?").param(id)
                .query((rs, n) -> toAuthorization(rs, null, null, null))
                .optional().orElse(null);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            return null;
        }
        if (tokenType == null) {
            if (looksLikeJwt(token)) {
                return findByAccessToken(token);
            }
            OAuth2Authorization byRefresh = findByDigest("refresh_token_hash", token);
            return byRefresh != null ? byRefresh : findByDigest("code_hash", token);
        }
        return switch (tokenType.getValue()) {
            case OAuth2ParameterNames.STATE -> findByDigest("state_hash", token);
            case OAuth2ParameterNames.CODE -> findByDigest("code_hash", token);
            case OAuth2ParameterNames.ACCESS_TOKEN -> findByAccessToken(token);
            case OAuth2ParameterNames.REFRESH_TOKEN -> findByDigest("refresh_token_hash", token);
            case OidcParameterNames.ID_TOKEN -> findByDigest("id_token_hash", token);
            default -> null;
        };
    }

    /**
     * When {@code refreshToken} is one that rotation already replaced and {@code presentingClient}
     * is the client it was issued to, revokes every token of its family (deletes the authorization)
     * and reports it. Another client presenting it revokes nothing (issue 13, L3: whoever holds a
     * leaked old token must not be able to end someone else's session); its request fails anyway,
     * since the token is not current. One statement: the rotated list only grows, and the delete is
     * conditional on the authorization's client.
     *
     * @return whether the family was revoked
     */
    public boolean revokeFamilyIfRotated(String refreshToken, RegisteredClient presentingClient) {
        return revokeFamilyIfRotated(refreshToken, presentingClient, null);
    }

    /**
     * As {@link #revokeFamilyIfRotated(String, RegisteredClient)}, for a public client, which has no
     * credential: only a presenter that proved possession of the family's DPoP key
     * ({@code boundKeyThumbprint}, RFC 7638) revokes it.
     */
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
                events.publishEvent(AuditEvent.of(AuditEventType.TOKEN_REUSE_DETECTED, clientId,
                        (String) row.get("principal_name"), Map.of("authorizationId", id)));
            } else {
                log.warn("A rotated refresh token of authorization {} was presented by another client ({}):"
                        + " refused, nothing revoked", id, clientId);
            }
        }
        return revokedAny;
    }

    /** @deprecated the client id alone does not say whose family it is: use the registered client */
    @Deprecated
    public boolean revokeFamilyIfRotated(String refreshToken, String clientId) {
        return revokeFamilyIfRotated(refreshToken, clientId == null ? null : clients.findByClientId(clientId));
    }

    /** Revokes every authorization a user gave a client: its refresh tokens and access tokens stop working. */
    @Transactional
    public int revokeAll(String registeredClientId, String principalName) {
        return jdbc.sql("delete from oauth2_authorization where registered_client_id = cast(? as uuid)"
                + " and principal_name = ?").params(registeredClientId, principalName).update();
    }

    /**
     * Revokes every authorization a user holds, with every client: codes, access and refresh tokens
     * stop working at once (deprovisioning). Client credentials are not a user's and are kept.
     *
     * @return how many authorizations were revoked
     */
    @Transactional
    public int removeByPrincipal(String principalName) {
        return jdbc.sql("delete from oauth2_authorization where principal_name = ? and grant_type <> ?")
                .params(principalName, AuthorizationGrantType.CLIENT_CREDENTIALS.getValue()).update();
    }

    /** Deletes what nothing can use any more. */
    @Transactional
    public int purgeExpired() {
        OffsetDateTime cutoff = utc(clock.instant().minus(1, ChronoUnit.HOURS));
        int authorizations = jdbc.sql("delete from oauth2_authorization where expires_at < ?").param(cutoff).update();
        int rotated = jdbc.sql("delete from oauth2_rotated_refresh_token where expires_at < ?").param(cutoff).update();
        int revoked = jdbc.sql("delete from revoked_access_token where expires_at < ?").param(cutoff).update();
        revokedTokens.forgetExpired();
        return authorizations + rotated + revoked;
    }

    /** Client input is hashed, never decoded: a digest copied from the database is not a token. */
    private OAuth2Authorization findByDigest(String column, String token) {
        byte[] digest = TokenDigest.of(token);
        return jdbc.sql("select * from oauth2_authorization where " + column + " = ?").param(digest)
                .query((rs, n) -> toAuthorization(rs, token, digest, column))
                .optional().orElse(null);
    }

    /**
     * Every JWT access token must verify against the published keys (signature, type, lifetime)
     * before anything else: a token whose key was revoked in an emergency is inactive at once,
     * whether or not it has a row.
     */
    private OAuth2Authorization findByAccessToken(String token) {
        Jwt jwt;
        try {
            jwt = ownTokens.decode(token);
        } catch (JwtException e) {
            return null;
        }
        return findByVerifiedAccessToken(jwt);
    }

    /** An access token already verified by {@code ownTokens} (the admin API's decoder). */
    OAuth2Authorization findByVerifiedAccessToken(Jwt jwt) {
        if (StatelessAccessTokens.isStateless(jwt.getId())) {
            return statelessAuthorization(jwt);
        }
        return findByDigest("access_token_hash", jwt.getTokenValue());
    }

    private OAuth2Authorization statelessAuthorization(Jwt jwt) {
        String token = jwt.getTokenValue();
        if (revokedTokens.isRevoked(jwt.getId())) {
            return null;
        }
        String clientId = jwt.getClaimAsString("client_id");
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (client == null) {
            return null;
        }
        Set<String> scopes = scopesOf(jwt);
        OAuth2AccessToken accessToken = new OAuth2AccessToken(tokenTypeOf(jwt.getClaims()), token, jwt.getIssuedAt(),
                jwt.getExpiresAt(), scopes);
        AuthorizationGrantType grant = Objects.equals(jwt.getSubject(), clientId)
                ? AuthorizationGrantType.CLIENT_CREDENTIALS : OstiaryGrantTypes.IMPLICIT;
        return OAuth2Authorization.withRegisteredClient(client)
                .id(STATELESS_ID_PREFIX + jwt.getId())
                .principalName(jwt.getSubject())
                .authorizationGrantType(grant)
                .authorizedScopes(scopes)
                .token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        jwt.getClaims()))
                .build();
    }

    private static boolean isStateless(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        return access != null
                && StatelessAccessTokens.isStateless(jtiOf(access))
                && authorization.getRefreshToken() == null
                && authorization.getToken(OAuth2AuthorizationCode.class) == null;
    }

    private void saveStateless(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (!access.isInvalidated()) {
            return;
        }
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        String clientId = client == null ? authorization.getRegisteredClientId() : client.getClientId();
        Instant expiresAt = access.getToken().getExpiresAt() != null ? access.getToken().getExpiresAt()
                : clock.instant().plus(1, ChronoUnit.DAYS);
        int inserted = jdbc.sql("insert into revoked_access_token (jti, client_id, expires_at) values (?, ?, ?)"
                + " on conflict do nothing")
                .params(jtiOf(access), clientId, utc(expiresAt))
                .update();
        revokedTokens.added(jtiOf(access), expiresAt);
        if (inserted > 0) {
            events.publishEvent(AuditEvent.of(AuditEventType.TOKEN_REVOKED, clientId,
                    authorization.getPrincipalName(), Map.of("jti", jtiOf(access), "tokenType", "access_token")));
        }
    }

    private OAuth2Authorization toAuthorization(ResultSet rs, String lookedUpValue, byte[] lookedUpDigest,
            String lookedUpColumn) throws SQLException {
        RegisteredClient client = clients.findById(rs.getString("registered_client_id"));
        if (client == null) {
            // disabled or deleted client: nothing it was given may be used
            return null;
        }
        Map<String, Object> attributes = readMap(rs.getString("attributes"));
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(rs.getString("id"))
                .principalName(rs.getString("principal_name"))
                .authorizationGrantType(new AuthorizationGrantType(rs.getString("grant_type")))
                .authorizedScopes(setOf(rs.getArray("authorized_scopes")))
                .attributes(a -> a.putAll(attributes));
        byte[] stateHash = rs.getBytes("state_hash");
        if (stateHash != null) {
            builder.attribute(OAuth2ParameterNames.STATE,
                    TokenDigest.valueOrPlaceholder(stateHash, lookedUpValue, lookedUpDigest));
        }
        byte[] codeHash = rs.getBytes("code_hash");
        if (codeHash != null) {
            OAuth2AuthorizationCode code = new OAuth2AuthorizationCode(
                    TokenDigest.valueOrPlaceholder(codeHash, lookedUpValue, lookedUpDigest),
                    instant(rs, "code_issued_at"), instant(rs, "code_expires_at"));
            Map<String, Object> metadata = readMap(rs.getString("code_metadata"));
            builder.token(code, m -> m.putAll(metadata));
        }
        byte[] accessHash = rs.getBytes("access_token_hash");
        if (accessHash != null) {
            String value = TokenDigest.valueOrPlaceholder(accessHash, lookedUpValue, lookedUpDigest);
            Map<String, Object> claims = TokenDigest.isPlaceholder(value) ? null : unverifiedClaims(value);
            String jkt = rs.getString("access_token_jkt");
            if (claims == null && jkt != null) {
                // looked up by another token: the binding is all a refresh needs to know
                claims = Map.of("cnf", Map.of("jkt", jkt));
            }
            Map<String, Object> accessClaims = claims;
            OAuth2AccessToken.TokenType type = "DPoP".equalsIgnoreCase(rs.getString("access_token_type"))
                    ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
            OAuth2AccessToken accessToken = new OAuth2AccessToken(type, value, instant(rs, "access_token_issued_at"),
                    instant(rs, "access_token_expires_at"), setOf(rs.getArray("access_token_scopes")));
            boolean invalidated = rs.getBoolean("access_token_invalidated");
            builder.token(accessToken, m -> {
                m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, invalidated);
                if (accessClaims != null) {
                    m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, accessClaims);
                }
            });
        }
        byte[] idHash = rs.getBytes("id_token_hash");
        if (idHash != null) {
            Map<String, Object> metadata = readMap(rs.getString("id_token_metadata"));
            @SuppressWarnings("unchecked")
            Map<String, Object> claims = (Map<String, Object>) metadata.getOrDefault(
                    OAuth2Authorization.Token.CLAIMS_METADATA_NAME, Map.of());
            OidcIdToken idToken = new OidcIdToken(TokenDigest.valueOrPlaceholder(idHash, lookedUpValue, lookedUpDigest),
                    instant(rs, "id_token_issued_at"), instant(rs, "id_token_expires_at"), claims);
            builder.token(idToken, m -> m.putAll(metadata));
        }
        byte[] refreshHash = rs.getBytes("refresh_token_hash");
        if (refreshHash != null) {
            OAuth2RefreshToken refreshToken = new OAuth2RefreshToken(
                    TokenDigest.valueOrPlaceholder(refreshHash, lookedUpValue, lookedUpDigest),
                    instant(rs, "refresh_token_issued_at"), instant(rs, "refresh_token_expires_at"));
            Map<String, Object> metadata = readMap(rs.getString("refresh_token_metadata"));
            builder.token(refreshToken, m -> m.putAll(metadata));
        }
        Lookup.Kind singleUse = lookedUpColumn == null ? null : Lookup.Kind.of(lookedUpColumn);
        boolean used = false;
        if (singleUse != null) {
            OAuth2Authorization read = builder.build();
            OAuth2Authorization.Token<?> token = singleUse == Lookup.Kind.AUTHORIZATION_CODE
                    ? read.getToken(OAuth2AuthorizationCode.class) : read.getRefreshToken();
            used = token == null || token.isInvalidated();
        }
        builder.attribute(Lookup.ATTRIBUTE, new Lookup(singleUse, singleUse == null ? null : lookedUpDigest, used));
        return builder.build();
    }

    /** The columns of one authorization, in the order of the upsert's placeholders. */
    private record Row(Object[] values) {

        static Row of(OAuth2Authorization authorization, JsonMapper json, Instant now) {
            Map<String, Object> attributes = new HashMap<>(authorization.getAttributes());
            String state = (String) attributes.remove(OAuth2ParameterNames.STATE);
            attributes.remove(Lookup.ATTRIBUTE);
            OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
            OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
            OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
            OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
            Instant expiresAt = Stream.of(code, access, refresh, idToken)
                    .filter(Objects::nonNull)
                    .map(t -> t.getToken().getExpiresAt())
                    .filter(Objects::nonNull)
                    .max(Instant::compareTo)
                    // an authorization waiting for consent, or a refresh token that never expires
                    .orElse(now.plus(refresh != null ? 3650 : 1, refresh != null ? ChronoUnit.DAYS : ChronoUnit.HOURS));
            return new Row(new Object[] {
                    authorization.getId(),
                    authorization.getRegisteredClientId(),
                    authorization.getPrincipalName(),
                    authorization.getAuthorizationGrantType().getValue(),
                    authorization.getAuthorizedScopes().toArray(String[]::new),
                    write(json, attributes),
                    state == null ? null : TokenDigest.ofStored(state),
                    code == null ? null : TokenDigest.ofStored(code.getToken().getTokenValue()),
                    code == null ? null : utc(code.getToken().getIssuedAt()),
                    code == null ? null : utc(code.getToken().getExpiresAt()),
                    code == null ? null : write(json, code.getMetadata()),
                    access == null ? null : TokenDigest.ofStored(access.getToken().getTokenValue()),
                    access == null ? null : access.getToken().getTokenType().getValue(),
                    access == null ? null : utc(access.getToken().getIssuedAt()),
                    access == null ? null : utc(access.getToken().getExpiresAt()),
                    access == null ? null : access.getToken().getScopes().toArray(String[]::new),
                    access != null && access.isInvalidated(),
                    access == null ? null : jktOf(access),
                    refresh == null ? null : TokenDigest.ofStored(refresh.getToken().getTokenValue()),
                    refresh == null ? null : utc(refresh.getToken().getIssuedAt()),
                    refresh == null ? null : utc(refresh.getToken().getExpiresAt()),
                    refresh == null ? null : write(json, refresh.getMetadata()),
                    idToken == null ? null : TokenDigest.ofStored(idToken.getToken().getTokenValue()),
                    idToken == null ? null : utc(idToken.getToken().getIssuedAt()),
                    idToken == null ? null : utc(idToken.getToken().getExpiresAt()),
                    idToken == null ? null : write(json, idToken.getMetadata()),
                    utc(expiresAt)
            });
        }
    }

    private static String write(JsonMapper json, Map<String, Object> map) {
        return json.writeValueAsString(map);
    }

    private Map<String, Object> readMap(String value) {
        if (value == null) {
            return Map.of();
        }
        return json.readValue(value, MAP);
    }

    private static OAuth2AccessToken.TokenType tokenTypeOf(Map<String, Object> claims) {
        return claims.containsKey("cnf") ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
    }

    private static String jtiOf(OAuth2Authorization.Token<? extends OAuth2Token> token) {
        Map<String, Object> claims = token.getClaims();
        if (claims != null && claims.get("jti") != null) {
            return claims.get("jti").toString();
        }
        return unverifiedJti(token.getToken().getTokenValue());
    }

    @SuppressWarnings("unchecked")
    private static String jktOf(OAuth2Authorization.Token<OAuth2AccessToken> access) {
        Map<String, Object> claims = access.getClaims();
        if (claims != null && claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") != null) {
            return cnf.get("jkt").toString();
        }
        return null;
    }

    private static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }

    /** The jti of a token we may have issued, read without verification: only used to route the lookup. */
    private static String unverifiedJti(String token) {
        if (!looksLikeJwt(token)) {
            return null;
        }
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }

    /** Claims of a token whose digest matched a stored one, i.e. one we issued. */
    private static Map<String, Object> unverifiedClaims(String token) {
        try {
            Map<String, Object> claims = new HashMap<>(JWTParser.parse(token).getJWTClaimsSet().toJSONObject());
            for (String instantClaim : List.of("iat", "exp", "nbf")) {
                if (claims.get(instantClaim) instanceof Number seconds) {
                    claims.put(instantClaim, Instant.ofEpochSecond(seconds.longValue()));
                }
            }
            return claims;
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }

    private static Set<String> scopesOf(Jwt jwt) {
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String s) {
            return new LinkedHashSet<>(Arrays.asList(s.split(" ")));
        }
        if (scope instanceof java.util.Collection<?> c) {
            return new LinkedHashSet<>(c.stream().map(Object::toString).toList());
        }
        return Set.of();
    }

    private static Set<String> setOf(java.sql.Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList((String[]) array.getArray()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
