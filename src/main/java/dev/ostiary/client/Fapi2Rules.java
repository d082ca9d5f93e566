package dev.ostiary.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.ostiary.problem.FieldProblem;

/**
 * The FAPI 2.0 Security Profile (final, §5) for a client with {@code fapi2}: checked when the client
 * is saved, one problem per rule broken, named by its field; and applied again to the client as the
 * endpoints see it ({@link #atRequestTime}), so that a row written by other means cannot loosen it.
 * <ul>
 * <li>§5.3.2.1: pushed authorization requests only (RFC 9126), PKCE with S256 (Spring offers S256 only);</li>
 * <li>§5.3.2.1: authorization codes valid 60 s at most;</li>
 * <li>§5.3.2.1 / §5.3.3: {@code private_key_jwt} only, so no {@code client_secret_*} and no public client;</li>
 * <li>§5.3.2.1: sender-constrained tokens, here DPoP (RFC 9449), refresh tokens included;</li>
 * <li>§5.3.2.2: the code flow only: no implicit and no password grant (RFC 9700 §2.1.2, §2.4);</li>
 * <li>§5.3.2.2: {@code iss} in authorization responses (RFC 9207): every response has it already.</li>
 * </ul>
 */
public final class Fapi2Rules {

    static final int MAX_AUTH_CODE_TTL_SECONDS = 60;
    static final Set<String> FORBIDDEN_GRANTS = Set.of("implicit", "password");
    static final String ONLY_AUTH_METHOD = ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue();

    private Fapi2Rules() {
    }

    /** The problems of a client saved with {@code fapi2}; none when the flag is off. */
    public static List<FieldProblem> check(ClientRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!Boolean.TRUE.equals(request.fapi2())) {
            return problems;
        }
        for (String grant : request.grantTypesOrEmpty()) {
            if (FORBIDDEN_GRANTS.contains(grant)) {
                problems.add(new FieldProblem("grantTypes", "FAPI 2.0 clients may not use the " + grant + " grant"));
            }
        }
        if (!request.authMethodsOrDefault().equals(Set.of(ONLY_AUTH_METHOD))) {
            problems.add(new FieldProblem("authMethods", "FAPI 2.0 clients authenticate with private_key_jwt only"));
        }
        boolean hasKeys = request.jwks() != null && !request.jwks().isEmpty()
                || request.jwksUri() != null && !request.jwksUri().isBlank();
        if (!hasKeys) {
            problems.add(new FieldProblem("jwks", "FAPI 2.0 clients need their public keys (jwks or jwksUri)"));
        }
        if (!Boolean.TRUE.equals(request.requirePushedAuthorizationRequests())) {
            problems.add(new FieldProblem("requirePushedAuthorizationRequests",
                    "FAPI 2.0 clients must use pushed authorization requests"));
        }
        if (Boolean.FALSE.equals(request.requirePkce())) {
            problems.add(new FieldProblem("requirePkce", "FAPI 2.0 clients must use PKCE (S256)"));
        }
        if (!Boolean.TRUE.equals(request.requireDpop())) {
            problems.add(new FieldProblem("requireDpop", "FAPI 2.0 clients must bind their tokens with DPoP"));
        }
        if (request.authCodeTtlSeconds() != null && request.authCodeTtlSeconds() > MAX_AUTH_CODE_TTL_SECONDS) {
            problems.add(new FieldProblem("authCodeTtlSeconds",
                    "FAPI 2.0 authorization codes live at most " + MAX_AUTH_CODE_TTL_SECONDS + " seconds"));
        }
        return problems;
    }

    /** The client as the endpoints see it: the profile's limits whatever the row says. */
    static RegisteredClient atRequestTime(RegisteredClient client, boolean fapi2) {
        if (!fapi2) {
            return client;
        }
        Duration codeTtl = client.getTokenSettings().getAuthorizationCodeTimeToLive();
        Duration maxCodeTtl = Duration.ofSeconds(MAX_AUTH_CODE_TTL_SECONDS);
        return RegisteredClient.from(client)
                .clientAuthenticationMethods(methods -> methods.removeIf(m -> !ONLY_AUTH_METHOD.equals(m.getValue())))
                .authorizationGrantTypes(grants -> grants.removeIf(g -> FORBIDDEN_GRANTS.contains(g.getValue())))
                .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
                        .requireProofKey(true)
                        .setting(OstiaryClientSettings.REQUIRE_DPOP, true)
                        .setting(OstiaryClientSettings.REQUIRE_PAR, true).build())
                .tokenSettings(TokenSettings.withSettings(client.getTokenSettings().getSettings())
                        .authorizationCodeTimeToLive(codeTtl.compareTo(maxCodeTtl) > 0 ? maxCodeTtl : codeTtl).build())
                .build();
    }
}
