package dev.ostiary.registration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ostiary.client.ClientRequest;
import dev.ostiary.client.ClientView;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;

/**
 * RFC 7591 §2 client metadata, both ways: what a registration or an RFC 7592 replacement asks for,
 * as the request our client rules check; and a client as the metadata the endpoint answers with.
 * Which grants may be registered, and their response types, come from the grant registrations.
 */
final class RegistrationMetadata {

    private final Grants grants;

    RegistrationMetadata(Grants grants) {
        this.grants = grants;
    }

    /** RFC 7591 §2 metadata to our client model. */
    @SuppressWarnings("unchecked")
    ClientRequest toRequest(Map<String, Object> metadata, String clientId) {
        List<FieldProblem> problems = new ArrayList<>();
        // RFC 7591 §2: grant_types defaults to authorization_code, response_types to what the grants answer with
        Set<String> grants = new LinkedHashSet<>(strings(metadata.get("grant_types"), List.of("authorization_code")));
        Set<String> expectedResponseTypes = this.grants.registrableResponseTypes(grants);
        Set<String> responseTypes = new LinkedHashSet<>(strings(metadata.get("response_types"),
                List.copyOf(expectedResponseTypes)));
        Set<String> registrable = this.grants.dynamicallyRegistrable();
        for (String grant : grants) {
            if (!registrable.contains(grant)) {
                problems.add(new FieldProblem("grant_types", grant + " cannot be registered dynamically"));
            }
        }
        if (!responseTypes.equals(expectedResponseTypes)) {
            problems.add(new FieldProblem("response_types", responseTypesRule()));
        }
        String method = metadata.get("token_endpoint_auth_method") instanceof String m ? m : "client_secret_basic";
        Object scope = metadata.get("scope");
        Set<String> scopes = scope instanceof String s && !s.isBlank() ? new LinkedHashSet<>(List.of(s.trim().split("\\s+")))
                : Set.of();
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        Map<String, Object> jwks = metadata.get("jwks") instanceof Map<?, ?> j ? (Map<String, Object>) j : null;
        // names are unique among third-party clients (review M6): an unnamed one gets a name of its own
        String name = metadata.get("client_name") instanceof String n && !n.isBlank() ? n
                : "Dynamically registered client " + java.util.UUID.randomUUID().toString().substring(0, 8);
        return ClientRequest.builder()
                .clientId(clientId)
                .clientName(name)
                .grantTypes(grants)
                .authMethods(Set.of(method))
                .redirectUris(strings(metadata.get("redirect_uris"), List.of()))
                .postLogoutRedirectUris(List.of())
                .scopes(scopes)
                .serviceRoles(Set.of())
                .requireConsent(true).requirePkce(true).introspectionAllowed(false).requireDpop(false)
                .jwks(jwks)
                .jwksUri(metadata.get("jwks_uri") instanceof String u ? u : null)
                .build();
    }

    private static List<String> strings(Object value, List<String> fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new InvalidRequestException("metadata", "arrays must hold strings");
                }
                strings.add(text);
            }
            return strings;
        }
        throw new InvalidRequestException("metadata", "expected an array of strings");
    }

    /** {@code must be ["code"] exactly when grant_types has authorization_code}, from the registrations. */
    private String responseTypesRule() {
        List<String> rules = new ArrayList<>();
        grants.registrableResponseTypes().forEach((grant, responseType) ->
                rules.add("[\"" + responseType + "\"] exactly when grant_types has " + grant));
        return "must be " + String.join(", and ", rules);
    }

    Map<String, Object> describe(ClientView client) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", client.clientId());
        body.put("client_id_issued_at", client.createdAt() == null ? null : client.createdAt().getEpochSecond());
        body.put("client_name", client.clientName());
        body.put("redirect_uris", client.redirectUris());
        body.put("grant_types", client.grantTypes());
        body.put("response_types", List.copyOf(grants.registrableResponseTypes(client.grantTypes())));
        body.put("token_endpoint_auth_method", client.authMethods().isEmpty() ? null : client.authMethods().get(0));
        body.put("scope", String.join(" ", client.scopes()));
        if (client.jwks() != null) {
            body.put("jwks", client.jwks());
        }
        if (client.jwksUri() != null) {
            body.put("jwks_uri", client.jwksUri());
        }
        return body;
    }
}
