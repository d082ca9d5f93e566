package dev.ostiary.support;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ostiary.client.ClientRequest;

/**
 * {@link ClientRequest} fixtures for unit tests. The record has twenty positional fields: this is the
 * one place in the tests that calls its constructor, so a test names only the fields it is about.
 */
public final class TestClientRequests {

    private TestClientRequests() {
    }

    /** A valid confidential web client: the code flow with refresh tokens, scope read. */
    public static Builder webClient() {
        return new Builder().clientName("Web app").grantTypes("authorization_code", "refresh_token")
                .redirectUris(TestRegisteredClients.REDIRECT_URI).scopes("read");
    }

    /** A valid service client: client_credentials, scope read. */
    public static Builder serviceClient() {
        return new Builder().clientName("Service").grantTypes("client_credentials").scopes("read");
    }

    public static final class Builder {
        private String clientId;
        private String clientName;
        private String description;
        private Set<String> grantTypes;
        private Set<String> authMethods;
        private List<String> redirectUris;
        private List<String> postLogoutRedirectUris;
        private Set<String> scopes;
        private Set<String> serviceRoles;
        private Integer accessTokenTtlSeconds;
        private Integer refreshTokenTtlSeconds;
        private Integer authCodeTtlSeconds;
        private Integer implicitTokenTtlSeconds;
        private String accessTokenSigningAlg;
        private Map<String, Object> jwks;
        private String jwksUri;

        public Builder clientId(String v) { clientId = v; return this; }
        public Builder clientName(String v) { clientName = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder grantTypes(String... v) { grantTypes = Set.of(v); return this; }
        public Builder authMethods(String... v) { authMethods = Set.of(v); return this; }
        public Builder redirectUris(String... v) { redirectUris = List.of(v); return this; }
        public Builder redirectUris(List<String> v) { redirectUris = v; return this; }
        public Builder postLogoutRedirectUris(String... v) { postLogoutRedirectUris = List.of(v); return this; }
        public Builder scopes(String... v) { scopes = Set.of(v); return this; }
        public Builder serviceRoles(Set<String> v) { serviceRoles = v; return this; }
        public Builder accessTokenTtlSeconds(Integer v) { accessTokenTtlSeconds = v; return this; }
        public Builder refreshTokenTtlSeconds(Integer v) { refreshTokenTtlSeconds = v; return this; }
        public Builder authCodeTtlSeconds(Integer v) { authCodeTtlSeconds = v; return this; }
        public Builder implicitTokenTtlSeconds(Integer v) { implicitTokenTtlSeconds = v; return this; }
        public Builder accessTokenSigningAlg(String v) { accessTokenSigningAlg = v; return this; }
        public Builder jwks(Map<String, Object> v) { jwks = v; return this; }
        public Builder jwksUri(String v) { jwksUri = v; return this; }

        public ClientRequest build() {
            return new ClientRequest(clientId, clientName, description, grantTypes, authMethods, redirectUris,
                    postLogoutRedirectUris, scopes, serviceRoles, accessTokenTtlSeconds, refreshTokenTtlSeconds,
                    authCodeTtlSeconds, implicitTokenTtlSeconds, accessTokenSigningAlg, null, null, null, null, jwks,
                    jwksUri);
        }
    }
}
