package dev.ostiary.client;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client as an administrator, a self-service user or a dynamic registration describes it. Null
 * fields take the defaults; {@link ClientRules} checks the whole before anything is stored.
 *
 * @param authMethods how the client authenticates: {@code client_secret_basic},
 *        {@code client_secret_post}, {@code client_secret_jwt}, {@code private_key_jwt}, or
 *        {@code none} (a public client)
 * @param jwks the client's public keys (a JWKS document) for private_key_jwt
 * @param jwksUri where to fetch them instead
 * @param tokenExchange what it may exchange, with the token-exchange grant (RFC 8693)
 * @param requirePushedAuthorizationRequests authorization requests only through PAR (RFC 9126 §5)
 * @param requireSignedRequestObject authorization requests only as signed request objects (RFC 9101 §10.5)
 * @param fapi2 the FAPI 2.0 Security Profile (docs/fapi.md); implies PAR
 * @param resources the resources (RFC 8707) the client may ask tokens for; null keeps those it has (only the
 *        admin API sets them: a self-service or registration update leaves them alone)
 * @param requireSecondFactor sign-ins for this client need a second factor (docs/sign-in.md, step-up); null
 *        keeps the setting (only the admin API sets it)
 * @see #builder()
 */
public record ClientRequest(
        String clientId,
        String clientName,
        String description,
        Set<String> grantTypes,
        Set<String> authMethods,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        Set<String> scopes,
        Set<String> serviceRoles,
        Integer accessTokenTtlSeconds,
        Integer refreshTokenTtlSeconds,
        Integer authCodeTtlSeconds,
        Integer implicitTokenTtlSeconds,
        String accessTokenSigningAlg,
        Boolean requireConsent,
        Boolean requirePkce,
        Boolean introspectionAllowed,
        Boolean requireDpop,
        Map<String, Object> jwks,
        String jwksUri,
        String backchannelLogoutUri,
        Boolean backchannelLogoutSessionRequired,
        TokenExchangePolicy tokenExchange,
        Boolean requirePushedAuthorizationRequests,
        Boolean requireSignedRequestObject,
        Boolean fapi2,
        Set<String> resources,
        Boolean requireSecondFactor) {

    public Set<String> grantTypesOrEmpty() {
        return grantTypes == null ? Set.of() : grantTypes;
    }

    public Set<String> authMethodsOrDefault() {
        return authMethods == null || authMethods.isEmpty() ? Set.of("client_secret_basic", "client_secret_post")
                : authMethods;
    }

    public List<String> redirectUrisOrEmpty() {
        return redirectUris == null ? List.of() : redirectUris;
    }

    public String backchannelLogoutUriOrNull() {
        return backchannelLogoutUri == null || backchannelLogoutUri.isBlank() ? null : backchannelLogoutUri;
    }

    public Set<String> resourcesOrEmpty() {
        return resources == null ? Set.of() : resources;
    }

    public Set<String> scopesOrEmpty() {
        return scopes == null ? Set.of() : scopes;
    }

    /** A request built by name, field by field; what is not set is null (the default). */
    public static Builder builder() {
        return new Builder();
    }

    /** The same request for another client id (an update names the client in its path). */
    public ClientRequest withClientId(String id) {
        return new Builder(this).clientId(id).build();
    }

    /** Builds a {@link ClientRequest} by field name, so that no call site counts twenty positions. */
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
        private Boolean requireConsent;
        private Boolean requirePkce;
        private Boolean introspectionAllowed;
        private Boolean requireDpop;
        private Map<String, Object> jwks;
        private String jwksUri;
        private String backchannelLogoutUri;
        private Boolean backchannelLogoutSessionRequired;
        private TokenExchangePolicy tokenExchange;
        private Boolean requirePushedAuthorizationRequests;
        private Boolean requireSignedRequestObject;
        private Boolean fapi2;
        private Set<String> resources;
        private Boolean requireSecondFactor;

        private Builder() {
        }

        private Builder(ClientRequest request) {
            this.clientId = request.clientId;
            this.clientName = request.clientName;
            this.description = request.description;
            this.grantTypes = request.grantTypes;
            this.authMethods = request.authMethods;
            this.redirectUris = request.redirectUris;
            this.postLogoutRedirectUris = request.postLogoutRedirectUris;
            this.scopes = request.scopes;
            this.serviceRoles = request.serviceRoles;
            this.accessTokenTtlSeconds = request.accessTokenTtlSeconds;
            this.refreshTokenTtlSeconds = request.refreshTokenTtlSeconds;
            this.authCodeTtlSeconds = request.authCodeTtlSeconds;
            this.implicitTokenTtlSeconds = request.implicitTokenTtlSeconds;
            this.accessTokenSigningAlg = request.accessTokenSigningAlg;
            this.requireConsent = request.requireConsent;
            this.requirePkce = request.requirePkce;
            this.introspectionAllowed = request.introspectionAllowed;
            this.requireDpop = request.requireDpop;
            this.jwks = request.jwks;
            this.jwksUri = request.jwksUri;
            this.backchannelLogoutUri = request.backchannelLogoutUri;
            this.backchannelLogoutSessionRequired = request.backchannelLogoutSessionRequired;
            this.tokenExchange = request.tokenExchange;
            this.requirePushedAuthorizationRequests = request.requirePushedAuthorizationRequests;
            this.requireSignedRequestObject = request.requireSignedRequestObject;
            this.fapi2 = request.fapi2;
            this.resources = request.resources;
            this.requireSecondFactor = request.requireSecondFactor;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder grantTypes(Set<String> grantTypes) {
            this.grantTypes = grantTypes;
            return this;
        }

        public Builder authMethods(Set<String> authMethods) {
            this.authMethods = authMethods;
            return this;
        }

        public Builder redirectUris(List<String> redirectUris) {
            this.redirectUris = redirectUris;
            return this;
        }

        public Builder postLogoutRedirectUris(List<String> postLogoutRedirectUris) {
            this.postLogoutRedirectUris = postLogoutRedirectUris;
            return this;
        }

        public Builder scopes(Set<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder serviceRoles(Set<String> serviceRoles) {
            this.serviceRoles = serviceRoles;
            return this;
        }

        public Builder accessTokenTtlSeconds(Integer accessTokenTtlSeconds) {
            this.accessTokenTtlSeconds = accessTokenTtlSeconds;
            return this;
        }

        public Builder refreshTokenTtlSeconds(Integer refreshTokenTtlSeconds) {
            this.refreshTokenTtlSeconds = refreshTokenTtlSeconds;
            return this;
        }

        public Builder authCodeTtlSeconds(Integer authCodeTtlSeconds) {
            this.authCodeTtlSeconds = authCodeTtlSeconds;
            return this;
        }

        public Builder implicitTokenTtlSeconds(Integer implicitTokenTtlSeconds) {
            this.implicitTokenTtlSeconds = implicitTokenTtlSeconds;
            return this;
        }

        public Builder accessTokenSigningAlg(String accessTokenSigningAlg) {
            this.accessTokenSigningAlg = accessTokenSigningAlg;
            return this;
        }

        public Builder requireConsent(Boolean requireConsent) {
            this.requireConsent = requireConsent;
            return this;
        }

        public Builder requirePkce(Boolean requirePkce) {
            this.requirePkce = requirePkce;
            return this;
        }

        public Builder introspectionAllowed(Boolean introspectionAllowed) {
            this.introspectionAllowed = introspectionAllowed;
            return this;
        }

        public Builder requireDpop(Boolean requireDpop) {
            this.requireDpop = requireDpop;
            return this;
        }

        public Builder jwks(Map<String, Object> jwks) {
            this.jwks = jwks;
            return this;
        }

        public Builder jwksUri(String jwksUri) {
            this.jwksUri = jwksUri;
            return this;
        }

        public Builder backchannelLogoutUri(String backchannelLogoutUri) {
            this.backchannelLogoutUri = backchannelLogoutUri;
            return this;
        }

        public Builder backchannelLogoutSessionRequired(Boolean backchannelLogoutSessionRequired) {
            this.backchannelLogoutSessionRequired = backchannelLogoutSessionRequired;
            return this;
        }

        public Builder tokenExchange(TokenExchangePolicy tokenExchange) {
            this.tokenExchange = tokenExchange;
            return this;
        }

        public Builder requirePushedAuthorizationRequests(Boolean requirePushedAuthorizationRequests) {
            this.requirePushedAuthorizationRequests = requirePushedAuthorizationRequests;
            return this;
        }

        public Builder requireSignedRequestObject(Boolean requireSignedRequestObject) {
            this.requireSignedRequestObject = requireSignedRequestObject;
            return this;
        }

        public Builder fapi2(Boolean fapi2) {
            this.fapi2 = fapi2;
            return this;
        }

        public Builder resources(Set<String> resources) {
            this.resources = resources;
            return this;
        }

        public Builder requireSecondFactor(Boolean requireSecondFactor) {
            this.requireSecondFactor = requireSecondFactor;
            return this;
        }

        public ClientRequest build() {
            return new ClientRequest(clientId, clientName, description, grantTypes, authMethods, redirectUris,
                    postLogoutRedirectUris, scopes, serviceRoles, accessTokenTtlSeconds, refreshTokenTtlSeconds,
                    authCodeTtlSeconds, implicitTokenTtlSeconds, accessTokenSigningAlg, requireConsent, requirePkce,
                    introspectionAllowed, requireDpop, jwks, jwksUri, backchannelLogoutUri,
                    backchannelLogoutSessionRequired, tokenExchange, requirePushedAuthorizationRequests,
                    requireSignedRequestObject, fapi2, resources, requireSecondFactor);
        }
    }
}
