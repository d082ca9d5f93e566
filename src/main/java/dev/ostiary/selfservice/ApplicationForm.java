package dev.ostiary.selfservice;

import java.util.ArrayList;
import java.util.List;

/**
 * What the "My applications" form posts. A mutable bean because Spring MVC binds form fields into it
 * and the page renders it back with its errors.
 */
public class ApplicationForm {

    private String clientName = "";
    private String description = "";
    private List<String> grantTypes = new ArrayList<>(List.of("authorization_code"));
    private String redirectUris = "";
    private List<String> scopes = new ArrayList<>();
    /** "secret" or "key". */
    private String authentication = "secret";
    /** A public JWK, a JWK set, or a PEM public key. */
    private String publicKey = "";
    private String jwksUri = "";
    /** OpenID Connect logout (docs/logout.md): one URI per line, and where to post logout tokens. */
    private String postLogoutRedirectUris = "";
    private String backchannelLogoutUri = "";

    public String getClientName() { return clientName; }
    public void setClientName(String clientName) { this.clientName = clientName == null ? "" : clientName; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description == null ? "" : description; }
    public List<String> getGrantTypes() { return grantTypes; }
    public void setGrantTypes(List<String> grantTypes) { this.grantTypes = grantTypes == null ? new ArrayList<>() : grantTypes; }
    public String getRedirectUris() { return redirectUris; }
    public void setRedirectUris(String redirectUris) { this.redirectUris = redirectUris == null ? "" : redirectUris; }
    public List<String> getScopes() { return scopes; }
    public void setScopes(List<String> scopes) { this.scopes = scopes == null ? new ArrayList<>() : scopes; }
    public String getAuthentication() { return authentication; }
    public void setAuthentication(String authentication) { this.authentication = authentication; }
    public String getPublicKey() { return publicKey; }
    public void setPublicKey(String publicKey) { this.publicKey = publicKey == null ? "" : publicKey; }
    public String getJwksUri() { return jwksUri; }
    public void setJwksUri(String jwksUri) { this.jwksUri = jwksUri == null ? "" : jwksUri; }
    public String getPostLogoutRedirectUris() { return postLogoutRedirectUris; }
    public void setPostLogoutRedirectUris(String v) { this.postLogoutRedirectUris = v == null ? "" : v; }
    public String getBackchannelLogoutUri() { return backchannelLogoutUri; }
    public void setBackchannelLogoutUri(String v) { this.backchannelLogoutUri = v == null ? "" : v; }
}
