package dev.ostiary.authorization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * An authorization to its row and back, as maps from column to value ({@link AuthorizationColumns}),
 * the roles of Spring's {@code OAuth2AuthorizationParametersMapper} and {@code OAuth2AuthorizationRowMapper}.
 * Token values are written as digests ({@link TokenDigest}); read back, each token but the one the
 * authorization was found by holds a placeholder for its digest.
 */
final class AuthorizationRows {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final RegisteredClientRepository clients;
    private final JsonMapper json;

    AuthorizationRows(RegisteredClientRepository clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    /**
     * Spring Security's own Jackson modules, with their allow-list of types: what
     * {@code JdbcOAuth2AuthorizationService} uses for the same attributes; and {@code String[]}, the
     * value Spring's converters give a repeated request parameter: several {@code resource} values
     * (RFC 8707 §2.1) in the stored authorization request could not be read back otherwise. Plus
     * the WebAuthn module, which Spring leaves out of {@code getModules}: a user who signed in with a
     * passkey is a {@code WebAuthnAuthentication} in the authorization's principal attribute.
     */
    static JsonMapper securityJson() {
        BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType(String[].class);
        WebauthnJacksonModule webauthn = new WebauthnJacksonModule();
        webauthn.configurePolymorphicTypeValidator(types);
        return JsonMapper.builder()
                .addModules(SecurityJacksonModules.getModules(AuthorizationRows.class.getClassLoader(), types))
                .addModule(webauthn)
                .build();
    }

    /** The row of {@code authorization}; {@code now} dates one that holds nothing that expires. */
    Map<String, Object> columnsOf(OAuth2Authorization authorization, Instant now) {
        Map<String, Object> attributes = new HashMap<>(authorization.getAttributes());
        String state = (String) attributes.remove(OAuth2ParameterNames.STATE);
        attributes.remove(Lookup.ATTRIBUTE);
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
        OAuth2Authorization.Token<OAuth2DeviceCode> deviceCode = authorization.getToken(OAuth2DeviceCode.class);
        OAuth2Authorization.Token<OAuth2UserCode> userCode = authorization.getToken(OAuth2UserCode.class);
        Instant expiresAt = Stream.of(code, access, refresh, idToken, deviceCode, userCode)
                .filter(Objects::nonNull)
                .map(t -> t.getToken().getExpiresAt())
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                // an authorization waiting for consent, or a refresh token that never expires
                .orElse(now.plus(refresh != null ? 3650 : 1, refresh != null ? ChronoUnit.DAYS : ChronoUnit.HOURS));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", authorization.getId());
        row.put("registered_client_id", authorization.getRegisteredClientId());
        row.put("principal_name", authorization.getPrincipalName());
        row.put("grant_type", authorization.getAuthorizationGrantType().getValue());
        row.put("authorized_scopes", authorization.getAuthorizedScopes().toArray(String[]::new));
        row.put("attributes", json.writeValueAsString(attributes));
        row.put("state_hash", state == null ? null : TokenDigest.ofStored(state));
        putToken(row, "code", code);
        putToken(row, "access_token", access);
        row.put("access_token_type", access == null ? null : access.getToken().getTokenType().getValue());
        row.put("access_token_scopes", access == null ? null : access.getToken().getScopes().toArray(String[]::new));
        row.put("access_token_invalidated", access != null && access.isInvalidated());
        row.put("access_token_jkt", access == null ? null : jktOf(access));
        putToken(row, "refresh_token", refresh);
        putToken(row, "id_token", idToken);
        row.put("expires_at", utc(expiresAt));
        putToken(row, "device_code", deviceCode);
        putToken(row, "user_code", userCode);
        return row;
    }

    /** {@code <prefix>_hash}, {@code _issued_at}, {@code _expires_at} and (but for access tokens) {@code _metadata}. */
    private void putToken(Map<String, Object> row, String prefix, OAuth2Authorization.Token<?> token) {
        row.put(prefix + "_hash", token == null ? null : TokenDigest.ofStored(token.getToken().getTokenValue()));
        row.put(prefix + "_issued_at", token == null ? null : utc(token.getToken().getIssuedAt()));
        row.put(prefix + "_expires_at", token == null ? null : utc(token.getToken().getExpiresAt()));
        if (!"access_token".equals(prefix)) {
            row.put(prefix + "_metadata", token == null ? null : json.writeValueAsString(token.getMetadata()));
        }
    }

    /**
     * The authorization of a row, or null when its client is disabled or deleted: nothing it was
     * given may be used.
     */
    OAuth2Authorization authorizationOf(Map<String, Object> row, FoundBy foundBy) {
        RegisteredClient client = clients.findById((String) row.get("registered_client_id"));
        if (client == null) {
            return null;
        }
        Map<String, Object> attributes = readMap(row.get("attributes"));
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id((String) row.get("id"))
                .principalName((String) row.get("principal_name"))
                .authorizationGrantType(new AuthorizationGrantType((String) row.get("grant_type")))
                .authorizedScopes(setOf(row.get("authorized_scopes")))
                .attributes(a -> a.putAll(attributes));
        if (row.get("state_hash") instanceof byte[] state) {
            builder.attribute(OAuth2ParameterNames.STATE, foundBy.valueOrPlaceholder(state));
        }
        if (row.get("code_hash") instanceof byte[] code) {
            builder.token(new OAuth2AuthorizationCode(foundBy.valueOrPlaceholder(code),
                    instant(row, "code_issued_at"), instant(row, "code_expires_at")),
                    m -> m.putAll(readMap(row.get("code_metadata"))));
        }
        if (row.get("access_token_hash") instanceof byte[] access) {
            readAccessToken(builder, row, foundBy.valueOrPlaceholder(access));
        }
        if (row.get("id_token_hash") instanceof byte[] idToken) {
            Map<String, Object> metadata = readMap(row.get("id_token_metadata"));
            @SuppressWarnings("unchecked")
            Map<String, Object> claims = (Map<String, Object>) metadata.getOrDefault(
                    OAuth2Authorization.Token.CLAIMS_METADATA_NAME, Map.of());
            builder.token(new OidcIdToken(foundBy.valueOrPlaceholder(idToken), instant(row, "id_token_issued_at"),
                    instant(row, "id_token_expires_at"), claims), m -> m.putAll(metadata));
        }
        if (row.get("refresh_token_hash") instanceof byte[] refresh) {
            builder.token(new OAuth2RefreshToken(foundBy.valueOrPlaceholder(refresh),
                    instant(row, "refresh_token_issued_at"), instant(row, "refresh_token_expires_at")),
                    m -> m.putAll(readMap(row.get("refresh_token_metadata"))));
        }
        if (row.get("device_code_hash") instanceof byte[] deviceCode) {
            builder.token(new OAuth2DeviceCode(foundBy.valueOrPlaceholder(deviceCode),
                    instant(row, "device_code_issued_at"), instant(row, "device_code_expires_at")),
                    m -> m.putAll(readMap(row.get("device_code_metadata"))));
        }
        if (row.get("user_code_hash") instanceof byte[] userCode) {
            builder.token(new OAuth2UserCode(foundBy.valueOrPlaceholder(userCode),
                    instant(row, "user_code_issued_at"), instant(row, "user_code_expires_at")),
                    m -> m.putAll(readMap(row.get("user_code_metadata"))));
        }
        Lookup.Kind singleUse = foundBy.column() == null ? null : Lookup.Kind.of(foundBy.column());
        // whether the single-use value was used is read off the authorization as it stands
        Lookup lookup = Lookup.of(builder.build(), singleUse, foundBy.digest());
        return builder.attribute(Lookup.ATTRIBUTE, lookup).build();
    }

    private void readAccessToken(OAuth2Authorization.Builder builder, Map<String, Object> row, String value) {
        Map<String, Object> claims = TokenDigest.isPlaceholder(value) ? null : UnverifiedJwt.claims(value);
        String jkt = (String) row.get("access_token_jkt");
        if (claims == null && jkt != null) {
            // looked up by another token: the binding is all a refresh needs to know
            claims = Map.of("cnf", Map.of("jkt", jkt));
        }
        Map<String, Object> accessClaims = claims;
        OAuth2AccessToken.TokenType type = "DPoP".equalsIgnoreCase((String) row.get("access_token_type"))
                ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
        OAuth2AccessToken accessToken = new OAuth2AccessToken(type, value, instant(row, "access_token_issued_at"),
                instant(row, "access_token_expires_at"), setOf(row.get("access_token_scopes")));
        boolean invalidated = Boolean.TRUE.equals(row.get("access_token_invalidated"));
        builder.token(accessToken, m -> {
            m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, invalidated);
            if (accessClaims != null) {
                m.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, accessClaims);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static String jktOf(OAuth2Authorization.Token<OAuth2AccessToken> access) {
        Map<String, Object> claims = access.getClaims();
        if (claims != null && claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") != null) {
            return cnf.get("jkt").toString();
        }
        return null;
    }

    private Map<String, Object> readMap(Object value) {
        return value == null ? Map.of() : json.readValue((String) value, MAP);
    }

    private static Set<String> setOf(Object array) {
        return array == null ? Set.of() : new LinkedHashSet<>(Arrays.asList((String[]) array));
    }

    private static Instant instant(Map<String, Object> row, String column) {
        return row.get(column) instanceof OffsetDateTime value ? value.toInstant() : null;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
