package dev.ostiary.support;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;

/** Token requests through the Nimbus OAuth 2.0 SDK, for tests that need a token as a means. */
public final class TokensClient {

    private TokensClient() {
    }

    public static Tokens request(String baseUrl, String clientId, String secret, AuthorizationGrant grant, Scope scope)
            throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(baseUrl + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), grant, scope)
                .toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            throw new AssertionError("Token request failed: " + response.toErrorResponse().getErrorObject().toJSONObject());
        }
        return response.toSuccessResponse().getTokens();
    }

    public static String clientCredentials(String baseUrl, String clientId, String secret, String scope)
            throws Exception {
        return request(baseUrl, clientId, secret, new ClientCredentialsGrant(), scope == null ? null : Scope.parse(scope))
                .getAccessToken().getValue();
    }

    /** Admin tokens per server, reused until shortly before they expire. */
    private static final Map<String, CachedToken> ADMIN_TOKENS = new ConcurrentHashMap<>();

    private record CachedToken(String value, Instant renewAfter) {
    }

    /**
     * A token for the admin API: the demo administrator bob through trusted-app (password grant with
     * his current TOTP code, {@link TotpCodes#bob}), scope {@code ostiary:admin}. Reused per server
     * until a minute before it expires, while the server still publishes its signing key (key tests
     * revoke keys): each new one uses up one of bob's codes, and the server accepts a code once.
     */
    public static String adminToken(String baseUrl) throws Exception {
        CachedToken cached = ADMIN_TOKENS.get(baseUrl);
        if (cached != null && Instant.now().isBefore(cached.renewAfter()) && stillVerifies(baseUrl, cached.value())) {
            return cached.value();
        }
        AccessToken token = request(baseUrl, "trusted-app", "trusted-secret", bobGrant(),
                Scope.parse("ostiary:admin")).getAccessToken();
        long lifetime = token.getLifetime() > 0 ? token.getLifetime() : 300;
        ADMIN_TOKENS.put(baseUrl, new CachedToken(token.getValue(),
                Instant.now().plusSeconds(Math.max(0, lifetime - 60))));
        return token.getValue();
    }

    /** Whether the server still publishes the key that signed the token (key tests revoke keys). */
    private static boolean stillVerifies(String baseUrl, String token) {
        try {
            Jwks.verify(baseUrl, token);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A fresh admin token, never a cached one (for tests that revoke or inspect the token itself). */
    public static String newAdminToken(String baseUrl) throws Exception {
        ADMIN_TOKENS.remove(baseUrl);
        return adminToken(baseUrl);
    }

    /**
     * bob's password grant: password and current TOTP code ({@code totp}, Keycloak's parameter), for
     * Nimbus token requests.
     */
    public static ResourceOwnerPasswordCredentialsGrant bobGrant() {
        return new PasswordWithTotpGrant("bob", "bob-pw", TotpCodes.bob());
    }

    /** The resource owner password credentials grant with a {@code totp} parameter. */
    public static final class PasswordWithTotpGrant extends ResourceOwnerPasswordCredentialsGrant {

        private final String totp;

        public PasswordWithTotpGrant(String username, String password, String totp) {
            super(username, new Secret(password));
            this.totp = totp;
        }

        @Override
        public Map<String, List<String>> toParameters() {
            Map<String, List<String>> parameters = new LinkedHashMap<>(super.toParameters());
            parameters.put("totp", List.of(totp));
            return parameters;
        }
    }

    /** Whether the demo resource server (demo-api) is told by introspection that the token is active. */
    public static boolean active(String baseUrl, String accessToken) throws Exception {
        return isActive(baseUrl, "demo-api", "api-secret", accessToken);
    }

    public static boolean active(String baseUrl, com.nimbusds.oauth2.sdk.token.AccessToken accessToken)
            throws Exception {
        return active(baseUrl, accessToken.getValue());
    }

    /** RFC 7662 introspection of an access token; the answer must be a successful one. */
    public static boolean isActive(String baseUrl, String clientId, String secret, String accessToken)
            throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                URI.create(baseUrl + "/oauth2/introspect"), new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                new BearerAccessToken(accessToken)).toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            throw new AssertionError("Introspection failed: " + response.toErrorResponse().getErrorObject().toJSONObject());
        }
        return response.toSuccessResponse().isActive();
    }

    /** RFC 7009 revocation of an access token; returns the HTTP status. */
    public static int revoke(String baseUrl, String clientId, String secret, String accessToken) throws Exception {
        HTTPResponse response = new TokenRevocationRequest(URI.create(baseUrl + "/oauth2/revoke"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new BearerAccessToken(accessToken))
                .toHTTPRequest().send();
        return response.getStatusCode();
    }
}
