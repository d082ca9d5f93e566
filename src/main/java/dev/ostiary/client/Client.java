package dev.ostiary.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.ostiary.persistence.StoredEntity;

/** A registered client as stored. {@link RegisteredClients} turns it into Spring's RegisteredClient. */
@Entity
@Table(name = "client")
public class Client extends StoredEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "client_id")
    private String clientId;

    @Column(name = "client_name")
    private String clientName;

    @Column(name = "secret_hash")
    private String secretHash;

    @Column(name = "secret_expires_at")
    private Instant secretExpiresAt;

    @Column(name = "auth_methods")
    private String[] authMethods;

    @Column(name = "grant_types")
    private String[] grantTypes;

    @Column(name = "redirect_uris")
    private String[] redirectUris;

    @Column(name = "post_logout_redirect_uris")
    private String[] postLogoutRedirectUris;

    private String[] scopes;

    @Column(name = "service_roles")
    private String[] serviceRoles;

    @Column(name = "access_token_ttl_seconds")
    private int accessTokenTtlSeconds;

    @Column(name = "refresh_token_ttl_seconds")
    private int refreshTokenTtlSeconds;

    @Column(name = "auth_code_ttl_seconds")
    private int authCodeTtlSeconds;

    @Column(name = "implicit_token_ttl_seconds")
    private int implicitTokenTtlSeconds;

    @Column(name = "access_token_signing_alg")
    private String accessTokenSigningAlg;

    @Column(name = "require_consent")
    private boolean requireConsent;

    @Column(name = "require_pkce")
    private boolean requirePkce;

    @Column(name = "introspection_allowed")
    private boolean introspectionAllowed;

    private boolean enabled;

    @Column(columnDefinition = "jsonb")
    @org.hibernate.annotations.ColumnTransformer(write = "?::jsonb")
    private String jwks;

    @Column(name = "jwks_uri")
    private String jwksUri;

    @Column(name = "require_dpop")
    private boolean requireDpop;

    @Column(name = "owner_username")
    private String ownerUsername;

    /** admin (first party), user (self-service) or registration (RFC 7591); see {@link RegisteredBy}. */
    @Column(name = "registered_by")
    private String registeredBy = RegisteredBy.ADMIN.value();

    private String description;

    @Column(name = "secret_encrypted")
    private byte[] secretEncrypted;

    @Column(name = "backchannel_logout_uri")
    private String backchannelLogoutUri;

    @Column(name = "backchannel_logout_session_required")
    private boolean backchannelLogoutSessionRequired;
    @Column(name = "token_exchange_subject_clients")
    private String[] tokenExchangeSubjectClients = new String[0];

    @Column(name = "token_exchange_audiences")
    private String[] tokenExchangeAudiences = new String[0];

    @Column(name = "token_exchange_impersonation")
    private boolean tokenExchangeImpersonation;

    @Column(name = "require_pushed_authorization_requests")
    private boolean requirePushedAuthorizationRequests;

    @Column(name = "require_signed_request_object")
    private boolean requireSignedRequestObject;

    private boolean fapi2;

    /** Sign-ins for this client need a second factor (acr urn:ostiary:loa:2), V22. */
    @Column(name = "require_second_factor")
    private boolean requireSecondFactor;

    /** The resources (RFC 8707) the client may ask tokens for. */
    private String[] resources = new String[0];


    protected Client() {
    }

    public Client(String clientId, String clientName) {
        this.id = UUID.randomUUID();
        this.clientId = clientId;
        this.clientName = clientName;
        this.authMethods = new String[] { "client_secret_basic" };
        this.grantTypes = new String[0];
        this.redirectUris = new String[0];
        this.postLogoutRedirectUris = new String[0];
        this.scopes = new String[0];
        this.serviceRoles = new String[0];
        this.accessTokenTtlSeconds = 300;
        this.refreshTokenTtlSeconds = 86400;
        this.authCodeTtlSeconds = 60;
        this.implicitTokenTtlSeconds = 300;
        this.accessTokenSigningAlg = "RS256";
        this.requireConsent = true;
        this.requirePkce = true;
        this.enabled = true;
    }

    public UUID getId() { return id; }
    public String getClientId() { return clientId; }
    public String getClientName() { return clientName; }
    public String getSecretHash() { return secretHash; }
    public Instant getSecretExpiresAt() { return secretExpiresAt; }
    public List<String> getAuthMethods() { return List.of(authMethods); }
    public List<String> getGrantTypes() { return List.of(grantTypes); }
    public List<String> getRedirectUris() { return List.of(redirectUris); }
    public List<String> getPostLogoutRedirectUris() { return List.of(postLogoutRedirectUris); }
    public List<String> getScopes() { return List.of(scopes); }
    public List<String> getServiceRoles() { return List.of(serviceRoles); }
    public int getAccessTokenTtlSeconds() { return accessTokenTtlSeconds; }
    public int getRefreshTokenTtlSeconds() { return refreshTokenTtlSeconds; }
    public int getAuthCodeTtlSeconds() { return authCodeTtlSeconds; }
    public RegisteredBy getRegisteredBy() { return RegisteredBy.of(registeredBy); }
    public Client setRegisteredBy(RegisteredBy v) { this.registeredBy = v.value(); return this; }
    public int getImplicitTokenTtlSeconds() { return implicitTokenTtlSeconds; }
    public String getAccessTokenSigningAlg() { return accessTokenSigningAlg; }
    public boolean isRequireConsent() { return requireConsent; }
    public boolean isRequirePkce() { return requirePkce; }
    public boolean isIntrospectionAllowed() { return introspectionAllowed; }
    public boolean isEnabled() { return enabled; }
    public String getJwks() { return jwks; }
    public String getJwksUri() { return jwksUri; }
    public boolean isRequireDpop() { return requireDpop; }
    public String getOwnerUsername() { return ownerUsername; }
    public String getDescription() { return description; }
    public byte[] getSecretEncrypted() { return secretEncrypted; }
    public List<String> getResources() { return List.of(resources); }

    public Client setClientName(String clientName) { this.clientName = clientName; return this; }
    public Client setSecretHash(String secretHash) { this.secretHash = secretHash; return this; }
    public Client setSecretExpiresAt(Instant secretExpiresAt) { this.secretExpiresAt = secretExpiresAt; return this; }
    public Client setAuthMethods(Set<String> v) { this.authMethods = sorted(v); return this; }
    public Client setGrantTypes(Set<String> v) { this.grantTypes = sorted(v); return this; }
    public Client setRedirectUris(List<String> v) { this.redirectUris = v.toArray(String[]::new); return this; }
    public Client setPostLogoutRedirectUris(List<String> v) { this.postLogoutRedirectUris = v.toArray(String[]::new); return this; }
    public Client setScopes(Set<String> v) { this.scopes = sorted(v); return this; }
    public Client setServiceRoles(Set<String> v) { this.serviceRoles = sorted(v); return this; }
    public Client setAccessTokenTtlSeconds(int v) { this.accessTokenTtlSeconds = v; return this; }
    public Client setRefreshTokenTtlSeconds(int v) { this.refreshTokenTtlSeconds = v; return this; }
    public Client setAuthCodeTtlSeconds(int v) { this.authCodeTtlSeconds = v; return this; }
    public Client setImplicitTokenTtlSeconds(int v) { this.implicitTokenTtlSeconds = v; return this; }
    public Client setAccessTokenSigningAlg(String v) { this.accessTokenSigningAlg = v; return this; }
    public Client setRequireConsent(boolean v) { this.requireConsent = v; return this; }
    public Client setRequirePkce(boolean v) { this.requirePkce = v; return this; }
    public Client setIntrospectionAllowed(boolean v) { this.introspectionAllowed = v; return this; }
    public Client setEnabled(boolean v) { this.enabled = v; return this; }
    public Client setJwks(String v) { this.jwks = v; return this; }
    public Client setJwksUri(String v) { this.jwksUri = v; return this; }
    public Client setRequireDpop(boolean v) { this.requireDpop = v; return this; }
    public Client setOwnerUsername(String v) { this.ownerUsername = v; return this; }
    public Client setDescription(String v) { this.description = v; return this; }
    public Client setSecretEncrypted(byte[] v) { this.secretEncrypted = v; return this; }
    public String getBackchannelLogoutUri() { return backchannelLogoutUri; }
    public Client setBackchannelLogoutUri(String v) { this.backchannelLogoutUri = v; return this; }
    public boolean isBackchannelLogoutSessionRequired() { return backchannelLogoutSessionRequired; }
    public Client setBackchannelLogoutSessionRequired(boolean v) { this.backchannelLogoutSessionRequired = v; return this; }

    /** RFC 8693: what this client may exchange (empty unless it has the grant). */
    public TokenExchangePolicy getTokenExchange() {
        return new TokenExchangePolicy(List.of(tokenExchangeSubjectClients), List.of(tokenExchangeAudiences),
                tokenExchangeImpersonation);
    }

    public Client setTokenExchange(TokenExchangePolicy v) {
        TokenExchangePolicy policy = v == null ? TokenExchangePolicy.NONE : v;
        this.tokenExchangeSubjectClients = policy.subjectClients().stream().distinct().sorted().toArray(String[]::new);
        this.tokenExchangeAudiences = policy.audiences().stream().distinct().toArray(String[]::new);
        this.tokenExchangeImpersonation = policy.impersonation();
        return this;
    }

    public boolean isRequirePushedAuthorizationRequests() { return requirePushedAuthorizationRequests; }
    public Client setRequirePushedAuthorizationRequests(boolean v) { this.requirePushedAuthorizationRequests = v; return this; }
    public boolean isRequireSignedRequestObject() { return requireSignedRequestObject; }
    public Client setRequireSignedRequestObject(boolean v) { this.requireSignedRequestObject = v; return this; }
    public boolean isFapi2() { return fapi2; }
    public Client setFapi2(boolean v) { this.fapi2 = v; return this; }
    public boolean isRequireSecondFactor() { return requireSecondFactor; }
    public Client setRequireSecondFactor(boolean v) { this.requireSecondFactor = v; return this; }

    public Client setResources(Set<String> v) { this.resources = sorted(v); return this; }

    private static String[] sorted(Set<String> values) {
        return values.stream().sorted().toArray(String[]::new);
    }

}
