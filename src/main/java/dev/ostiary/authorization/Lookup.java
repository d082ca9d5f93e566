package dev.ostiary.authorization;

import java.io.Serializable;
import java.security.MessageDigest;

import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;

/**
 * That an authorization was read from the database, and, when it was found by a value that may be
 * used once (a code, a refresh token), that value's digest and whether it was already used. It
 * travels in the authorization's attributes (Spring's providers copy them into the authorization
 * they save) and is never stored.
 *
 * @param kind what the authorization was found by, or null (by id, state, access or ID token)
 * @param userCodeOpen whether the authorization holds a device flow's user code not yet used when it
 *        was read (RFC 8628 §3.3): the save that uses it decides the user's answer, once
 */
record Lookup(Kind kind, byte[] digest, boolean wasUsed, boolean userCodeOpen) implements Serializable {

    static final String ATTRIBUTE = Lookup.class.getName();

    enum Kind {
        AUTHORIZATION_CODE(AuthorizationColumns.CODE_HASH, "code_metadata", OAuth2ParameterNames.CODE,
                "authorization code"),
        REFRESH_TOKEN(AuthorizationColumns.REFRESH_TOKEN_HASH, "refresh_token_metadata",
                OAuth2ParameterNames.REFRESH_TOKEN, "refresh token"),
        /** RFC 8628 §3.4: the device code is redeemed (or invalidated) once. */
        DEVICE_CODE(AuthorizationColumns.DEVICE_CODE_HASH, "device_code_metadata", OAuth2ParameterNames.DEVICE_CODE,
                "device code");

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

        /** The single-use value stored in {@code column}, or null for a column of another kind. */
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
     * The lookup of {@code read}, found by the digest of a value of {@code kind} (null: found by
     * something that is not single-use, and {@code read} is not looked at).
     */
    static Lookup of(OAuth2Authorization read, Kind kind, byte[] digest) {
        OAuth2Authorization.Token<OAuth2UserCode> userCode = read.getToken(OAuth2UserCode.class);
        boolean userCodeOpen = userCode != null && !userCode.isInvalidated();
        if (kind == null) {
            return new Lookup(null, null, false, userCodeOpen);
        }
        OAuth2Authorization.Token<?> token = switch (kind) {
            case AUTHORIZATION_CODE -> read.getToken(OAuth2AuthorizationCode.class);
            case REFRESH_TOKEN -> read.getRefreshToken();
            case DEVICE_CODE -> read.getToken(OAuth2DeviceCode.class);
        };
        return new Lookup(kind, digest, token == null || token.isInvalidated(), userCodeOpen);
    }

    /** The condition of the update that closes an open user code: the row's is still unused. */
    static final String USER_CODE_OPEN = "user_code_hash = ? and coalesce(user_code_metadata ->> '"
            + OAuth2Authorization.Token.INVALIDATED_METADATA_NAME + "', 'false') <> 'true'";

    /**
     * Whether saving {@code authorization} closes the user code that was open when it was read: the
     * user approved or denied (or it expired), which may happen once whoever answers at the same time.
     */
    boolean closesUserCode(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2UserCode> userCode = authorization.getToken(OAuth2UserCode.class);
        return userCodeOpen && userCode != null && userCode.isInvalidated();
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
                        && MessageDigest.isEqual(digest, TokenDigest.ofStored(code.getToken().getTokenValue()));
            }
            case REFRESH_TOKEN -> {
                OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
                yield refresh == null
                        || !MessageDigest.isEqual(digest, TokenDigest.ofStored(refresh.getToken().getTokenValue()));
            }
            case DEVICE_CODE -> {
                OAuth2Authorization.Token<OAuth2DeviceCode> device = authorization.getToken(OAuth2DeviceCode.class);
                yield device != null && device.isInvalidated()
                        && MessageDigest.isEqual(digest, TokenDigest.ofStored(device.getToken().getTokenValue()));
            }
        };
    }
}
