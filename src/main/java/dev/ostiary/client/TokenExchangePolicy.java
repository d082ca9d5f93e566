package dev.ostiary.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.ostiary.problem.FieldProblem;

/**
 * What a client may do with the token exchange grant (RFC 8693), beyond having the grant at all
 * (its {@code grant_types}): the clients whose access tokens it may present as {@code subject_token}
 * (the client each token was issued to), the audiences it may ask for (RFC 8693 §2.1
 * {@code audience}), and whether it may impersonate (no {@code actor_token}; the result names only
 * the subject) or only delegate (an {@code actor_token}: the result carries {@code act}, §4.1).
 * {@code grant/tokenexchange} applies it at each request; {@link #check} is the part
 * {@link ClientRules} checks on save.
 *
 * @param subjectClients client ids; nothing when empty
 * @param audiences audience names or URIs; nothing when empty
 * @param impersonation null or false: delegation only
 */
public record TokenExchangePolicy(List<String> subjectClients, List<String> audiences, Boolean impersonation)
        implements java.io.Serializable {

    /** The admin API's audience: never a target of an exchange, whatever the policy says. */
    public static final String ADMIN_API_AUDIENCE = "urn:ostiary:admin-api";
    static final int MAX_ENTRIES = 20;
    private static final String GRANT = AuthorizationGrantType.TOKEN_EXCHANGE.getValue();

    public static final TokenExchangePolicy NONE = new TokenExchangePolicy(List.of(), List.of(), false);

    public TokenExchangePolicy {
        subjectClients = subjectClients == null ? List.of() : List.copyOf(subjectClients);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        impersonation = Boolean.TRUE.equals(impersonation);
    }

    public boolean allowsNothing() {
        return subjectClients.isEmpty() && audiences.isEmpty() && !impersonation;
    }

    /** The problems of {@code policy} for a client with {@code grants}, each with its field. */
    static List<FieldProblem> check(TokenExchangePolicy policy, Set<String> grants) {
        List<FieldProblem> problems = new ArrayList<>();
        TokenExchangePolicy given = policy == null ? NONE : policy;
        if (!grants.contains(GRANT)) {
            if (!given.allowsNothing()) {
                problems.add(new FieldProblem("tokenExchange", "is only for clients with the " + GRANT + " grant"));
            }
            return problems;
        }
        if (given.subjectClients().isEmpty()) {
            problems.add(new FieldProblem("tokenExchange.subjectClients",
                    "the token-exchange grant needs the clients whose tokens this client may exchange"));
        }
        if (given.audiences().isEmpty()) {
            problems.add(new FieldProblem("tokenExchange.audiences",
                    "the token-exchange grant needs the audiences this client may ask for"));
        }
        if (given.subjectClients().size() > MAX_ENTRIES) {
            problems.add(new FieldProblem("tokenExchange.subjectClients", "may hold at most " + MAX_ENTRIES + " entries"));
        }
        if (given.audiences().size() > MAX_ENTRIES) {
            problems.add(new FieldProblem("tokenExchange.audiences", "may hold at most " + MAX_ENTRIES + " entries"));
        }
        for (String client : given.subjectClients()) {
            if (client == null || !client.matches("[A-Za-z0-9._~-]{1,100}")) {
                problems.add(new FieldProblem("tokenExchange.subjectClients", "not a client id: " + client));
            }
        }
        for (String audience : given.audiences()) {
            if (audience == null || audience.isBlank() || audience.length() > ClientRules.MAX_URI_LENGTH
                    || !audience.matches("\\S+")) {
                problems.add(new FieldProblem("tokenExchange.audiences",
                        "an audience is a name or URI without spaces, at most " + ClientRules.MAX_URI_LENGTH
                                + " characters"));
            } else if (ADMIN_API_AUDIENCE.equals(audience)) {
                // the admin API's tokens come from an administrator's own grant, never from an exchange
                problems.add(new FieldProblem("tokenExchange.audiences", ADMIN_API_AUDIENCE
                        + " (the admin API) cannot be an exchange target"));
            }
        }
        return problems;
    }
}
