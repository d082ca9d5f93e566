package dev.ostiary.logout;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;

import dev.ostiary.crypto.Digests;

/**
 * What a browser session granted: the authorizations whose ID token carries the session's
 * {@code sid}. Spring Authorization Server puts {@code sid} in ID tokens (the SHA-256 of the HTTP
 * session id, base64url, of the session registered for the user) and keeps it when a refresh issues a
 * new ID token, so the row is the link between a session and the clients it signed in to. An
 * authorization without an ID token (no {@code openid}) is tied to no session: sign out everywhere
 * ends it, signing out of one session does not (docs/logout.md).
 */
public class SessionAuthorizations {

    /** One authorization and what its ID token says: the client knows the user by {@code iss} and {@code sub}. */
    public record Granted(OAuth2Authorization authorization, String issuer, String subject, String sid) {

        BackchannelLogoutOutbox.Target target() {
            return new BackchannelLogoutOutbox.Target(UUID.fromString(authorization.getRegisteredClientId()), issuer,
                    subject, sid);
        }
    }

    private final JdbcClient jdbc;
    private final OAuth2AuthorizationService authorizations;

    public SessionAuthorizations(JdbcClient jdbc, OAuth2AuthorizationService authorizations) {
        this.jdbc = jdbc;
        this.authorizations = authorizations;
    }

    /** The {@code sid} Spring Authorization Server puts in the ID tokens of the HTTP session {@code sessionId}. */
    public static String sidOf(String sessionId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Digests.sha256(sessionId.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Every authorization of the user that issued an ID token, with any client. */
    public List<Granted> withIdTokens(String principalName) {
        return jdbc.sql("select id from oauth2_authorization where principal_name = ? and id_token_hash is not null")
                .param(principalName).query(String.class).list().stream()
                .map(authorizations::findById)
                .filter(Objects::nonNull)
                .map(SessionAuthorizations::granted)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The authorizations the session {@code sid} granted. */
    public List<Granted> ofSession(String principalName, String sid) {
        return withIdTokens(principalName).stream().filter(granted -> sid.equals(granted.sid())).toList();
    }

    public void revoke(Granted granted) {
        authorizations.remove(granted.authorization());
    }

    private static Granted granted(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
        if (idToken == null) {
            return null;
        }
        OidcIdToken token = idToken.getToken();
        return new Granted(authorization, token.getClaimAsString(IdTokenClaimNames.ISS), token.getSubject(),
                token.getClaimAsString("sid"));
    }
}
