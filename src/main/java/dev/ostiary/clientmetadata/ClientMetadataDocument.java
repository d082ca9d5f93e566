package dev.ostiary.clientmetadata;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

import dev.ostiary.client.ClientRules;

/**
 * A client's metadata document (RFC 7591 §2 names, draft-ietf-oauth-client-id-metadata-document §4),
 * validated: {@code client_id} equal to the URL it was fetched from (simple string comparison, RFC 3986
 * §6.2.1), at least one redirect URI and each one exact, only the code flow (and refresh), and no shared
 * secret (§4.1: there is no way to agree one): {@code none}, or {@code private_key_jwt} with keys.
 */
record ClientMetadataDocument(String clientId, String clientName, List<String> redirectUris, Set<String> grantTypes,
        String tokenEndpointAuthMethod, String jwks, String jwksUri, String logoUri, String clientUri,
        Set<String> scopes) {

    static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token");
    static final Set<String> AUTH_METHODS = Set.of("none", "private_key_jwt");
    static final int MAX_NAME_LENGTH = 100;

    /** Parses {@code json} fetched from {@code url}; a problem is an {@link InvalidClientMetadataException}. */
    static ClientMetadataDocument parse(String json, String url) throws InvalidClientMetadataException {
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new InvalidClientMetadataException("the document is not a JSON object");
        }
        Object clientId = document.get("client_id");
        if (!url.equals(clientId)) {
            throw new InvalidClientMetadataException("client_id in the document is not the URL it was fetched from");
        }
        if (document.containsKey("client_secret") || document.containsKey("client_secret_expires_at")) {
            throw new InvalidClientMetadataException("the document contains a client secret");
        }
        String method = string(document, "token_endpoint_auth_method", "none");
        if (!AUTH_METHODS.contains(method)) {
            throw new InvalidClientMetadataException("token_endpoint_auth_method must be none or private_key_jwt"
                    + " (no shared secret)");
        }
        List<String> redirects = strings(document, "redirect_uris", null);
        if (redirects.isEmpty() || redirects.size() > 10) {
            throw new InvalidClientMetadataException("redirect_uris must list one to ten URIs");
        }
        for (String redirect : redirects) {
            String problem = ClientRules.redirectUriProblem(redirect);
            if (problem != null) {
                throw new InvalidClientMetadataException("redirect URI " + problem);
            }
        }
        Set<String> grants = new LinkedHashSet<>(strings(document, "grant_types", List.of("authorization_code")));
        if (!GRANTS.containsAll(grants) || !grants.contains("authorization_code")) {
            throw new InvalidClientMetadataException("grant_types may only be authorization_code and refresh_token");
        }
        Set<String> responseTypes = new LinkedHashSet<>(strings(document, "response_types", List.of("code")));
        if (!responseTypes.equals(Set.of("code"))) {
            throw new InvalidClientMetadataException("response_types may only be code");
        }
        String jwks = keys(document, method);
        String jwksUri = string(document, "jwks_uri", null);
        if (method.equals("private_key_jwt") && (jwks == null) == (jwksUri == null)) {
            throw new InvalidClientMetadataException("private_key_jwt needs exactly one of jwks and jwks_uri");
        }
        if (jwksUri != null && ClientRules.redirectUriProblem(jwksUri) != null) {
            throw new InvalidClientMetadataException("jwks_uri is not a valid URL");
        }
        String scope = string(document, "scope", null);
        Set<String> scopes = scope == null ? null : new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
        return new ClientMetadataDocument(url, name(string(document, "client_name", null)), List.copyOf(redirects),
                Set.copyOf(grants), method, jwks, jwksUri, string(document, "logo_uri", null),
                string(document, "client_uri", null), scopes);
    }

    private static String keys(Map<String, Object> document, String method) throws InvalidClientMetadataException {
        Object jwks = document.get("jwks");
        if (jwks == null) {
            return null;
        }
        if (!method.equals("private_key_jwt") || !(jwks instanceof Map<?, ?> map)) {
            throw new InvalidClientMetadataException("jwks is only for private_key_jwt, as a JWK set");
        }
        try {
            @SuppressWarnings("unchecked")
            JWKSet set = JWKSet.parse((Map<String, Object>) map);
            if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                throw new InvalidClientMetadataException("jwks must hold public keys only");
            }
            return set.toString(true);
        } catch (ParseException e) {
            throw new InvalidClientMetadataException("jwks is not a JWK set");
        }
    }

    /** Untrusted text for a page: bounded, one line, no control characters; null when blank. */
    private static String name(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", " ").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() > MAX_NAME_LENGTH ? clean.substring(0, MAX_NAME_LENGTH) + "…" : clean;
    }

    private static String string(Map<String, Object> document, String name, String otherwise)
            throws InvalidClientMetadataException {
        Object value = document.get(name);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof String text)) {
            throw new InvalidClientMetadataException(name + " must be a string");
        }
        return text;
    }

    private static List<String> strings(Map<String, Object> document, String name, List<String> otherwise)
            throws InvalidClientMetadataException {
        Object value = document.get(name);
        if (value == null) {
            if (otherwise == null) {
                throw new InvalidClientMetadataException(name + " is required");
            }
            return otherwise;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidClientMetadataException(name + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw new InvalidClientMetadataException(name + " must be an array of strings");
            }
            values.add(text);
        }
        return values;
    }
}
