package dev.ostiary.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import dev.ostiary.grant.ClientRequirement;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.resource.ResourceCatalog;
import dev.ostiary.scope.ScopeCatalog;

/**
 * What a registered client must look like, checked in one place for the admin API, the
 * self-service page and dynamic registration. Every problem is reported, each with its field. The
 * grant types and what each needs of a client come from the grants' registrations ({@link Grants}).
 */
public final class ClientRules {

    /** Also what discovery advertises ({@code ServerMetadata}), in this order, so it keeps one. */
    public static final Set<String> AUTH_METHODS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none")));
    /** How a client's access tokens may be signed (the key set holds an RSA and an EC key). */
    public static final List<String> ACCESS_TOKEN_SIGNING_ALGS = List.of("RS256", "ES256");
    public static final Set<String> SECRET_METHODS = Set.of("client_secret_basic", "client_secret_post",
            "client_secret_jwt");

    /*
     * Size limits (review M5): a client is read on every token request and held in memory, so no list
     * in it may grow with what a caller sends. Far above what a real client needs.
     */
    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_URI_LENGTH = 512;
    static final int MAX_SCOPES = 50;
    static final int MAX_RESOURCES = 20;
    static final int MAX_SERVICE_ROLES = 20;
    static final int MAX_LIST_ITEMS = 10;
    static final int MAX_JWKS_KEYS = 10;
    static final int MAX_JWKS_BYTES = 16 * 1024;
    /** docs/security.md: implicit tokens live 5 minutes at most. */
    static final int MAX_IMPLICIT_TTL_SECONDS = 300;

    private ClientRules() {
    }

    /** The resources a client may name (RFC 8707): each in the catalog, at most {@value #MAX_RESOURCES}. */
    public static List<FieldProblem> resourceProblems(ClientRequest request, ResourceCatalog resources) {
        List<FieldProblem> problems = new ArrayList<>();
        size(problems, "resources", request.resources(), MAX_RESOURCES);
        Map<String, ?> known = resources.all();
        for (String resource : request.resourcesOrEmpty()) {
            if (!known.containsKey(resource)) {
                problems.add(new FieldProblem("resources", "unknown resource: " + resource));
            }
        }
        return problems;
    }

    public static List<FieldProblem> check(ClientRequest request, ScopeCatalog scopes, Grants registered) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request.clientName() == null || request.clientName().isBlank()) {
            problems.add(new FieldProblem("clientName", "is required"));
        } else if (request.clientName().length() > 200) {
            problems.add(new FieldProblem("clientName", "must be at most 200 characters"));
        }
        if (request.clientId() != null && !request.clientId().matches("[A-Za-z0-9._~-]{1,100}")) {
            problems.add(new FieldProblem("clientId", "may contain letters, digits and . _ ~ - (at most 100)"));
        }
        if (request.description() != null && request.description().length() > 1000) {
            problems.add(new FieldProblem("description", "must be at most 1000 characters"));
        }
        Set<String> grants = request.grantTypesOrEmpty();
        if (grants.isEmpty()) {
            problems.add(new FieldProblem("grantTypes", "needs at least one grant type"));
        }
        for (String grant : grants) {
            if (registered.find(grant).isEmpty()) {
                problems.add(new FieldProblem("grantTypes", "unknown grant type: " + grant));
            }
        }
        size(problems, "grantTypes", request.grantTypes(), registered.names().size());
        size(problems, "authMethods", request.authMethods(), AUTH_METHODS.size());
        size(problems, "redirectUris", request.redirectUris(), MAX_REDIRECT_URIS);
        size(problems, "postLogoutRedirectUris", request.postLogoutRedirectUris(), MAX_LIST_ITEMS);
        size(problems, "scopes", request.scopes(), MAX_SCOPES);
        size(problems, "serviceRoles", request.serviceRoles(), MAX_SERVICE_ROLES);
        for (String grant : registered.requiring(ClientRequirement.ANOTHER_GRANT)) {
            if (grants.equals(Set.of(grant))) {
                problems.add(new FieldProblem("grantTypes", grant + " needs a grant that issues refresh tokens"));
            }
        }
        Set<String> methods = request.authMethodsOrDefault();
        for (String method : methods) {
            if (!AUTH_METHODS.contains(method)) {
                problems.add(new FieldProblem("authMethods", "unknown authentication method: " + method));
            }
        }
        if (methods.contains("none") && methods.size() > 1) {
            problems.add(new FieldProblem("authMethods", "none (a public client) cannot be combined with others"));
        }
        List<String> confidentialOnly = registered.requiring(ClientRequirement.CONFIDENTIAL_CLIENT);
        if (methods.contains("none") && confidentialOnly.stream().anyMatch(grants::contains)) {
            problems.add(new FieldProblem("grantTypes", "a public client cannot use " + either(confidentialOnly, "or")));
        }
        checkKeys(request, methods, problems);
        List<String> redirects = request.redirectUrisOrEmpty();
        List<String> redirected = registered.requiring(ClientRequirement.REDIRECT_URI);
        if (redirected.stream().anyMatch(grants::contains) && redirects.isEmpty()) {
            problems.add(new FieldProblem("redirectUris", either(redirected, "and")
                    + (redirected.size() == 1 ? " needs" : " need") + " a redirect URI"));
        }
        for (int i = 0; i < redirects.size(); i++) {
            String problem = redirectUriProblem(redirects.get(i));
            if (problem != null) {
                problems.add(new FieldProblem("redirectUris[" + i + "]", problem));
            }
        }
        List<String> logout = request.postLogoutRedirectUris() == null ? List.of() : request.postLogoutRedirectUris();
        for (int i = 0; i < logout.size(); i++) {
            String problem = redirectUriProblem(logout.get(i));
            if (problem != null) {
                problems.add(new FieldProblem("postLogoutRedirectUris[" + i + "]", problem));
            }
        }
        Map<String, ?> known = scopes.all();
        for (String scope : request.scopesOrEmpty()) {
            if (!known.containsKey(scope)) {
                problems.add(new FieldProblem("scopes", "unknown scope: " + scope));
            }
        }
        if (request.serviceRoles() != null) {
            for (String role : request.serviceRoles()) {
                if (!AuthorityNames.validRoleName(role)) {
                    problems.add(new FieldProblem("serviceRoles", "roles are upper case letters, digits and _: " + role));
                }
            }
        }
        range(problems, "accessTokenTtlSeconds", request.accessTokenTtlSeconds(), 60, 86_400);
        range(problems, "refreshTokenTtlSeconds", request.refreshTokenTtlSeconds(), 300, 31_536_000);
        range(problems, "authCodeTtlSeconds", request.authCodeTtlSeconds(), 10, 300);
        range(problems, "implicitTokenTtlSeconds", request.implicitTokenTtlSeconds(), 60, MAX_IMPLICIT_TTL_SECONDS);
        if (request.accessTokenSigningAlg() != null && !ACCESS_TOKEN_SIGNING_ALGS.contains(request.accessTokenSigningAlg())) {
            problems.add(new FieldProblem("accessTokenSigningAlg", "must be RS256 or ES256"));
        }
        checkBackchannelLogout(request, problems);
        problems.addAll(TokenExchangePolicy.check(request.tokenExchange(), grants));
        problems.addAll(Fapi2Rules.check(request));
        // RFC 9101 §6.2: request objects are verified with the client's public keys; without any, none could be
        if (Boolean.TRUE.equals(request.requireSignedRequestObject()) && request.jwks() == null
                && (request.jwksUri() == null || request.jwksUri().isBlank())) {
            problems.add(new FieldProblem("requireSignedRequestObject", "needs the client's public keys (jwks or jwksUri)"));
        }
        return problems;
    }

    /**
     * OpenID Connect Back-Channel Logout 1.0 §2.2: an absolute http(s) URL without a fragment, https but
     * on a loopback host (as redirect URIs); it is posted to only through the safe fetcher, which also
     * refuses private addresses. It needs a client that gets ID tokens: one with a redirect URI.
     */
    private static void checkBackchannelLogout(ClientRequest request, List<FieldProblem> problems) {
        String uri = request.backchannelLogoutUri();
        if (uri == null || uri.isBlank()) {
            if (Boolean.TRUE.equals(request.backchannelLogoutSessionRequired())) {
                problems.add(new FieldProblem("backchannelLogoutSessionRequired", "needs a backchannelLogoutUri"));
            }
            return;
        }
        String problem = redirectUriProblem(uri);
        if (problem != null || !uri.toLowerCase(java.util.Locale.ROOT).startsWith("http")) {
            problems.add(new FieldProblem("backchannelLogoutUri",
                    "must be an https URL without a fragment (http only on loopback)"));
        }
        if (request.redirectUrisOrEmpty().isEmpty()) {
            problems.add(new FieldProblem("backchannelLogoutUri", "needs a client that signs users in (a redirect URI)"));
        }
    }

    /**
     * Redirect URIs are compared exactly, so they must be exact: absolute, no fragment, no wildcard;
     * https, http only on a loopback host (RFC 8252 §7.3), or a private-use scheme with a dot for
     * native apps (RFC 8252 §7.1). Returns why not, or null.
     */
    public static String redirectUriProblem(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.contains("*")) {
            return "must not contain wildcards";
        }
        if (value.length() > MAX_URI_LENGTH) {
            return "must be at most " + MAX_URI_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a valid URI";
        }
        if (!uri.isAbsolute()) {
            return "must be absolute";
        }
        if (uri.getRawFragment() != null || value.contains("#")) {
            return "must not have a fragment";
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return uri.getHost() == null ? "needs a host" : null;
        }
        if (scheme.equals("http")) {
            String host = uri.getHost();
            boolean loopback = host != null && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost"));
            return loopback ? null : "http is only allowed on a loopback host (127.0.0.1, [::1], localhost); use https";
        }
        if (scheme.contains(".") && !scheme.equals("javascript") && !scheme.equals("data")) {
            return null;
        }
        return "must be https, http on a loopback host, or a private-use scheme such as com.example.app";
    }

    private static void checkKeys(ClientRequest request, Set<String> methods, List<FieldProblem> problems) {
        boolean keyBased = methods.contains("private_key_jwt");
        boolean inline = request.jwks() != null && !request.jwks().isEmpty();
        boolean byUrl = request.jwksUri() != null && !request.jwksUri().isBlank();
        if (keyBased && !inline && !byUrl) {
            problems.add(new FieldProblem("jwks", "private_key_jwt needs the client's public keys (jwks or jwksUri)"));
        }
        if (inline && byUrl) {
            problems.add(new FieldProblem("jwks", "give jwks or jwksUri, not both"));
        }
        if (inline) {
            try {
                String document = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(request.jwks());
                if (document.length() > MAX_JWKS_BYTES) {
                    problems.add(new FieldProblem("jwks", "must be at most " + MAX_JWKS_BYTES + " bytes"));
                    return;
                }
                JWKSet set = JWKSet.parse(request.jwks());
                if (set.getKeys().isEmpty()) {
                    problems.add(new FieldProblem("jwks", "contains no key"));
                }
                if (set.getKeys().size() > MAX_JWKS_KEYS) {
                    problems.add(new FieldProblem("jwks", "may hold at most " + MAX_JWKS_KEYS + " keys"));
                }
                for (JWK key : set.getKeys()) {
                    if (key.isPrivate()) {
                        problems.add(new FieldProblem("jwks", "contains a private key: send only the public key"));
                    }
                }
            } catch (java.text.ParseException | RuntimeException e) {
                problems.add(new FieldProblem("jwks", "is not a JWK set"));
            }
        }
        if (byUrl) {
            String problem = redirectUriProblem(request.jwksUri());
            if (problem != null || request.jwksUri().startsWith("com.") || !request.jwksUri().startsWith("http")) {
                problems.add(new FieldProblem("jwksUri", "must be an https URL (http only on loopback)"));
            }
        }
    }

    /** "a, b or c": the grants a rule is about, in the registry's order. */
    private static String either(List<String> names, String conjunction) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " " + conjunction + " "
                + names.get(names.size() - 1);
    }

    private static void size(List<FieldProblem> problems, String field, java.util.Collection<?> values, int max) {
        if (values != null && values.size() > max) {
            problems.add(new FieldProblem(field, "may hold at most " + max + " entries"));
        }
    }

    private static void range(List<FieldProblem> problems, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problems.add(new FieldProblem(field, "must be between " + min + " and " + max));
        }
    }
}
