package dev.ostiary.resource;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

import dev.ostiary.scope.ScopeCatalog;

/**
 * The rules of RFC 8707 resource indicators, written once for every grant and endpoint: what a
 * {@code resource} value may be, which resources a client may name, which scopes a token for them
 * may carry, and that a later request on a grant may narrow its resources but never widen them.
 * Errors are {@link OAuth2AuthenticationException}s with the RFC's code ({@code invalid_target},
 * RFC 8707 §2; {@code invalid_scope}, RFC 6749 §5.2); the adapters in SAS's pipeline throw them as
 * their endpoint answers.
 */
public class ResourceIndicators {

    /** RFC 8707 §2: "the requested resource is invalid, missing, unknown, or malformed". */
    public static final String INVALID_TARGET = "invalid_target";
    /** An authorization's attribute with the resources its grant was given (space-separated: URIs have no spaces). */
    public static final String GRANTED_ATTRIBUTE = "ostiary.resources";
    /** More resources than any real token needs: a bound on what one request can make the server check. */
    static final int MAX_RESOURCES = 10;
    static final int MAX_LENGTH = 500;
    private static final String ERROR_URI = "https://www.rfc-editor.org/rfc/rfc8707#section-2";

    private final ResourceCatalog resources;
    private final ScopeCatalog scopes;

    public ResourceIndicators(ResourceCatalog resources, ScopeCatalog scopes) {
        this.resources = resources;
        this.scopes = scopes;
    }

    /**
     * The {@code resource} values of a request's parameters as Spring's converters keep them (one
     * value: a String; several: a String[]), in order, each once. A value that is not an absolute URI
     * or has a fragment is {@code invalid_target} (RFC 8707 §2).
     */
    public static Set<String> requested(Map<String, Object> parameters) {
        Object value = parameters == null ? null : parameters.get(OAuth2ParameterNames.RESOURCE);
        List<String> values;
        if (value == null) {
            return Set.of();
        } else if (value instanceof String one) {
            values = List.of(one);
        } else if (value instanceof String[] several) {
            values = Arrays.asList(several);
        } else if (value instanceof Collection<?> several && several.stream().allMatch(String.class::isInstance)) {
            values = several.stream().map(String.class::cast).toList();
        } else {
            throw invalidTarget("The resource parameter is malformed");
        }
        if (values.size() > MAX_RESOURCES) {
            throw invalidTarget("At most " + MAX_RESOURCES + " resources may be requested");
        }
        Set<String> resources = new LinkedHashSet<>();
        for (String resource : values) {
            if (!wellFormed(resource)) {
                throw invalidTarget("A resource must be an absolute URI without a fragment (RFC 8707 §2)");
            }
            resources.add(resource);
        }
        return resources;
    }

    /** An absolute URI (a scheme), no fragment, at most {@value #MAX_LENGTH} characters (RFC 8707 §2). */
    public static boolean wellFormed(String resource) {
        if (resource == null || resource.isEmpty() || resource.length() > MAX_LENGTH || resource.indexOf('#') >= 0) {
            return false;
        }
        try {
            URI uri = new URI(resource);
            return uri.isAbsolute() && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The resources an authorization's grant was given, as {@link #GRANTED_ATTRIBUTE} holds them. */
    public static Set<String> parseGranted(Object attribute) {
        if (!(attribute instanceof String granted) || granted.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(granted.trim().split(" ")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static String formatGranted(Set<String> resources) {
        return String.join(" ", resources);
    }

    /**
     * The resources a token is for: those {@code requested} now, or, when none are, those of the
     * grant. A request on a grant that was given resources may only name some of them (RFC 8707
     * §2.2: narrow, never widen). Every one must be in the catalog and allowed to the client, and
     * the scopes must be allowed there ({@link #check}). Empty when neither the request nor the grant
     * names a resource: the token's audience then comes from its scopes, as before RFC 8707.
     *
     * @param granted the grant's resources, empty for a grant made without any (or a first request)
     */
    public Set<String> target(Set<String> requested, Set<String> granted, Set<String> allowedForClient,
            Collection<String> tokenScopes) {
        Set<String> target = requested.isEmpty() ? granted : requested;
        if (target.isEmpty()) {
            return Set.of();
        }
        if (!granted.isEmpty() && !granted.containsAll(requested)) {
            Set<String> wider = new LinkedHashSet<>(requested);
            wider.removeAll(granted);
            throw invalidTarget("The grant was not given resource " + printable(wider)
                    + ": a request may narrow the grant's resources, never widen them (RFC 8707 §2.2)");
        }
        check(target, allowedForClient, tokenScopes);
        return target;
    }

    /**
     * Every resource in the catalog (a resource removed from it is granted to no one: fail closed)
     * and among the client's; every scope allowed at one of them, unless it is a scope of no
     * resource server at all (no audience in the scope catalog, listed by no resource: OpenID
     * Connect's {@code openid} and {@code profile}, which are about the ID token and Ostiary's
     * userinfo). Otherwise {@code invalid_target}, then {@code invalid_scope}.
     */
    public void check(Set<String> target, Set<String> allowedForClient, Collection<String> tokenScopes) {
        Set<String> scopesThere = new LinkedHashSet<>();
        for (String resource : target) {
            ResourceDefinition definition = resources.find(resource).orElse(null);
            if (definition == null || !allowedForClient.contains(resource)) {
                throw invalidTarget("The client may not request resource " + printable(Set.of(resource)));
            }
            scopesThere.addAll(definition.scopes());
        }
        Set<String> refused = new LinkedHashSet<>();
        for (String scope : tokenScopes) {
            if (!scopesThere.contains(scope) && scopeOfAResourceServer(scope)) {
                refused.add(scope);
            }
        }
        if (!refused.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                    "Scope not allowed at the requested resource: " + String.join(" ", refused), ERROR_URI));
        }
    }

    /** The scopes of {@code candidates} allowed at one of {@code target}: default scopes for a request naming resources. */
    public Set<String> scopesAt(Set<String> target, Collection<String> candidates) {
        Set<String> there = new LinkedHashSet<>();
        target.forEach(r -> resources.find(r).ifPresent(d -> there.addAll(d.scopes())));
        return candidates.stream().filter(s -> there.contains(s) || !scopeOfAResourceServer(s))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private boolean scopeOfAResourceServer(String scope) {
        return resources.scopeOfSomeResource(scope)
                || scopes.find(scope).map(d -> d.audience() != null).orElse(true);
    }

    public static OAuth2AuthenticationException invalidTarget(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(INVALID_TARGET, description, ERROR_URI));
    }

    /** Resource values echoed in an error description: RFC 6749 §5.2's characters only, bounded. */
    private static String printable(Set<String> values) {
        String joined = String.join(" ", values);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < joined.length() && out.length() < 200; i++) {
            char c = joined.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
