package dev.ostiary.grant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The grants Ostiary supports: the one registry every list of grants derives from (client rules,
 * self-service, dynamic registration, discovery, token claims, audit, the endpoints). In the order
 * of the registrations' {@code @Order}, which is the order every list shows them in.
 */
public final class Grants {

    private final Map<String, GrantRegistration> byName = new LinkedHashMap<>();

    public Grants(List<GrantRegistration> registrations) {
        for (GrantRegistration registration : registrations) {
            if (byName.putIfAbsent(registration.name(), registration) != null) {
                throw new IllegalStateException("Grant " + registration.name() + " is registered twice");
            }
        }
    }

    public static Grants of(GrantRegistration... registrations) {
        return new Grants(List.of(registrations));
    }

    public List<GrantRegistration> all() {
        return List.copyOf(byName.values());
    }

    /** Every registered grant's name, in order. */
    public Set<String> names() {
        return new LinkedHashSet<>(byName.keySet());
    }

    public Optional<GrantRegistration> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Optional<GrantRegistration> find(AuthorizationGrantType type) {
        return type == null ? Optional.empty() : find(type.getValue());
    }

    /** The names of the grants with {@code requirement}, in order. */
    public List<String> requiring(ClientRequirement requirement) {
        return byName.values().stream().filter(g -> g.requires(requirement)).map(GrantRegistration::name).toList();
    }

    /** Whether {@code type}'s access tokens get no authorization row. */
    public boolean statelessAccessTokens(AuthorizationGrantType type) {
        return find(type).map(GrantRegistration::statelessAccessTokens).orElse(false);
    }

    /** Where a user token's {@code roles} come from for {@code type}; the account as it is now if unregistered. */
    public TokenRoles tokenRoles(AuthorizationGrantType type) {
        return find(type).map(GrantRegistration::tokenRoles).orElse(TokenRoles.ACCOUNT_AS_IT_IS_NOW);
    }

    /** How tokens of {@code grantType} are audited; one event each if unregistered. */
    public IssuanceAudit issuanceAudit(String grantType) {
        return find(grantType).map(GrantRegistration::issuanceAudit).orElse(IssuanceAudit.EACH_TOKEN);
    }

    /** What the self-service page offers and adds. */
    public SelfServiceGrants selfService() {
        return new SelfServiceGrants(all());
    }

    /** The grants dynamic registration may register, in order. */
    public Set<String> dynamicallyRegistrable() {
        Set<String> names = new LinkedHashSet<>();
        byName.values().stream().filter(GrantRegistration::dynamicallyRegistrable)
                .forEach(g -> names.add(g.name()));
        return names;
    }

    /**
     * The {@code response_types} that go with {@code grants} in dynamic registration (RFC 7591 §2.1):
     * those of the registrable grants among them.
     */
    public Set<String> registrableResponseTypes(Collection<String> grants) {
        Set<String> types = new LinkedHashSet<>();
        byName.values().stream()
                .filter(g -> g.dynamicallyRegistrable() && g.responseType() != null && grants.contains(g.name()))
                .forEach(g -> types.add(g.responseType()));
        return types;
    }

    /** The grants dynamic registration may register with a response type, each with it. */
    public Map<String, String> registrableResponseTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        byName.values().stream().filter(g -> g.dynamicallyRegistrable() && g.responseType() != null)
                .forEach(g -> types.put(g.name(), g.responseType()));
        return types;
    }

    /**
     * Adds to a discovery document's claims (RFC 8414 §2, OpenID Discovery §3) the grants and response
     * types Ostiary adds to Spring Authorization Server's: Spring lists its own.
     */
    public void advertise(Map<String, Object> claims) {
        // and no grant Spring lists that is not registered: Spring lists token exchange whether or not
        // anything here lets a client use it, and discovery must say exactly what works
        if (claims.get("grant_types_supported") instanceof List<?> listed) {
            claims.put("grant_types_supported", new ArrayList<>(listed.stream().filter(byName::containsKey).toList()));
        }
        for (GrantRegistration grant : byName.values()) {
            grant.advertisedEndpoints().forEach((name, path) -> claims.put(name, claims.get("issuer") + path));
            if (grant.builtIntoSpring()) {
                continue;
            }
            append(claims, "grant_types_supported", grant.name());
            if (grant.responseType() != null) {
                append(claims, "response_types_supported", grant.responseType());
            }
        }
    }

    /** What the builders' {@code grantType(...)} and {@code responseType(...)} do: add to the list. */
    private static void append(Map<String, Object> claims, String name, String value) {
        List<Object> values = claims.get(name) instanceof List<?> existing ? new ArrayList<>(existing)
                : new ArrayList<>();
        if (!values.contains(value)) {
            values.add(value);
        }
        claims.put(name, values);
    }

    /** Every registration's contribution to the endpoints, collected once. */
    public GrantEndpoints endpoints(OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, String consentPage) {
        GrantEndpoints endpoints = new GrantEndpoints(tokenGenerator, consentPage);
        byName.values().forEach(grant -> grant.endpoints().accept(endpoints));
        return endpoints;
    }
}
