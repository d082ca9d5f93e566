package dev.ostiary.support;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ostiary.client.ClientRequest;

/**
 * {@link ClientRequest} fixtures for unit tests: a test names only the fields it is about.
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

    /**
     * {@link ClientRequest.Builder} with varargs, so a table of cases reads as one line each; every
     * field goes straight to the main builder.
     */
    public static final class Builder {
        private final ClientRequest.Builder request = ClientRequest.builder();

        public Builder clientId(String v) { request.clientId(v); return this; }
        public Builder clientName(String v) { request.clientName(v); return this; }
        public Builder description(String v) { request.description(v); return this; }
        public Builder grantTypes(String... v) { request.grantTypes(Set.of(v)); return this; }
        public Builder authMethods(String... v) { request.authMethods(Set.of(v)); return this; }
        public Builder redirectUris(String... v) { request.redirectUris(List.of(v)); return this; }
        public Builder redirectUris(List<String> v) { request.redirectUris(v); return this; }
        public Builder postLogoutRedirectUris(String... v) { request.postLogoutRedirectUris(List.of(v)); return this; }
        public Builder scopes(String... v) { request.scopes(Set.of(v)); return this; }
        public Builder serviceRoles(Set<String> v) { request.serviceRoles(v); return this; }
        public Builder accessTokenTtlSeconds(Integer v) { request.accessTokenTtlSeconds(v); return this; }
        public Builder refreshTokenTtlSeconds(Integer v) { request.refreshTokenTtlSeconds(v); return this; }
        public Builder authCodeTtlSeconds(Integer v) { request.authCodeTtlSeconds(v); return this; }
        public Builder implicitTokenTtlSeconds(Integer v) { request.implicitTokenTtlSeconds(v); return this; }
        public Builder accessTokenSigningAlg(String v) { request.accessTokenSigningAlg(v); return this; }
        public Builder jwks(Map<String, Object> v) { request.jwks(v); return this; }
        public Builder jwksUri(String v) { request.jwksUri(v); return this; }
        public Builder backchannelLogoutUri(String v) { request.backchannelLogoutUri(v); return this; }
        public Builder backchannelLogoutSessionRequired(Boolean v) { request.backchannelLogoutSessionRequired(v); return this; }
        public Builder requireSignedRequestObject(Boolean v) { request.requireSignedRequestObject(v); return this; }

        public ClientRequest build() {
            return request.build();
        }
    }
}
