package dev.ostiary.console;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

import dev.ostiary.client.ClientRequest;
import dev.ostiary.client.ClientView;
import dev.ostiary.client.TokenExchangePolicy;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;

/**
 * The console's client form as the browser posts it: every setting of a {@link ClientRequest}, as
 * text, checkboxes and lists of lines. It only turns text into the request (numbers, JSON, lines);
 * whether the request is a valid client is {@code ClientRules}' decision, the same as for the admin
 * API, so no rule is copied here. The one check of its own is the operator's acknowledgement of a legacy
 * grant: the admin API takes an explicit request as the acknowledgement; a form has checkboxes that
 * are easy to tick without reading.
 *
 * Unchecked checkboxes are not sent (HTML §4.10.21.4), so each flag is {@code null} for "off".
 */
public record ConsoleClientForm(
        String clientId,
        String clientName,
        String description,
        List<String> grantTypes,
        List<String> authMethods,
        String redirectUris,
        String postLogoutRedirectUris,
        List<String> scopes,
        String resources,
        String serviceRoles,
        String accessTokenTtlSeconds,
        String refreshTokenTtlSeconds,
        String authCodeTtlSeconds,
        String implicitTokenTtlSeconds,
        String accessTokenSigningAlg,
        Boolean requireConsent,
        Boolean requirePkce,
        Boolean introspectionAllowed,
        Boolean requireDpop,
        Boolean requirePushedAuthorizationRequests,
        Boolean requireSignedRequestObject,
        Boolean fapi2,
        Boolean requireSecondFactor,
        String jwks,
        String jwksUri,
        String backchannelLogoutUri,
        Boolean backchannelLogoutSessionRequired,
        String exchangeSubjectClients,
        String exchangeAudiences,
        Boolean exchangeImpersonation,
        Boolean legacyAcknowledged) {

    /** The grants OAuth 2.1 leaves out (RFC 9700 §2.4 password, §2.1.2 implicit): ticked only knowingly. */
    public static final Set<String> LEGACY_GRANTS = Set.of("password", "implicit");

    /** What a new client starts with: the stored defaults, the usual web-app grants, no id yet. */
    static ConsoleClientForm blank() {
        ConsoleClientForm defaults = of(ClientView.defaults());
        return new ConsoleClientForm("", "", "", List.of("authorization_code", "refresh_token"),
                List.of("client_secret_basic"), "", "", List.of("openid"), "", "", defaults.accessTokenTtlSeconds,
                defaults.refreshTokenTtlSeconds, defaults.authCodeTtlSeconds, defaults.implicitTokenTtlSeconds,
                defaults.accessTokenSigningAlg, defaults.requireConsent, defaults.requirePkce, null, null, null, null,
                null, null, "", "", "", null, "", "", null, null);
    }

    /** The form for an existing client, every field as it is stored. */
    static ConsoleClientForm of(ClientView client) {
        TokenExchangePolicy exchange = client.tokenExchange();
        return new ConsoleClientForm(client.clientId(), client.clientName(), nullToEmpty(client.description()),
                client.grantTypes(), client.authMethods(), lines(client.redirectUris()),
                lines(client.postLogoutRedirectUris()), client.scopes(), lines(client.resources()),
                String.join(" ", client.serviceRoles()), String.valueOf(client.accessTokenTtlSeconds()),
                String.valueOf(client.refreshTokenTtlSeconds()), String.valueOf(client.authCodeTtlSeconds()),
                String.valueOf(client.implicitTokenTtlSeconds()), client.accessTokenSigningAlg(),
                client.requireConsent(), client.requirePkce(), client.introspectionAllowed(), client.requireDpop(),
                client.requirePushedAuthorizationRequests(), client.requireSignedRequestObject(), client.fapi2(),
                client.requireSecondFactor(), client.jwks() == null ? "" : JSONObjectUtils.toJSONString(client.jwks()),
                nullToEmpty(client.jwksUri()), nullToEmpty(client.backchannelLogoutUri()),
                client.backchannelLogoutSessionRequired(),
                exchange == null || exchange.subjectClients() == null ? "" : String.join(" ", exchange.subjectClients()),
                exchange == null || exchange.audiences() == null ? "" : String.join(" ", exchange.audiences()),
                exchange != null && Boolean.TRUE.equals(exchange.impersonation()), true);
    }

    /** Whether a checkbox list holds {@code value}: for the template. */
    public boolean has(List<String> values, String value) {
        return values != null && values.contains(value);
    }

    /**
     * The request the admin API would get for the same settings.
     *
     * @throws InvalidRequestException naming each field whose text is not a number, a JSON object, or
     *         whose legacy grant was not acknowledged
     */
    ClientRequest toRequest() {
        List<FieldProblem> problems = new ArrayList<>();
        ClientRequest.Builder request = ClientRequest.builder()
                .clientId(blankToNull(clientId))
                .clientName(clientName)
                .description(blankToNull(description))
                .grantTypes(set(grantTypes))
                .authMethods(set(authMethods))
                .redirectUris(lines(redirectUris))
                .postLogoutRedirectUris(lines(postLogoutRedirectUris))
                .scopes(set(scopes))
                .resources(new LinkedHashSet<>(lines(resources)))
                .serviceRoles(new LinkedHashSet<>(words(serviceRoles)))
                .accessTokenTtlSeconds(seconds("accessTokenTtlSeconds", accessTokenTtlSeconds, problems))
                .refreshTokenTtlSeconds(seconds("refreshTokenTtlSeconds", refreshTokenTtlSeconds, problems))
                .authCodeTtlSeconds(seconds("authCodeTtlSeconds", authCodeTtlSeconds, problems))
                .implicitTokenTtlSeconds(seconds("implicitTokenTtlSeconds", implicitTokenTtlSeconds, problems))
                .accessTokenSigningAlg(blankToNull(accessTokenSigningAlg))
                .requireConsent(on(requireConsent))
                .requirePkce(on(requirePkce))
                .introspectionAllowed(on(introspectionAllowed))
                .requireDpop(on(requireDpop))
                .requirePushedAuthorizationRequests(on(requirePushedAuthorizationRequests))
                .requireSignedRequestObject(on(requireSignedRequestObject))
                .fapi2(on(fapi2))
                .requireSecondFactor(on(requireSecondFactor))
                .jwks(jwks("jwks", jwks, problems))
                .jwksUri(blankToNull(jwksUri))
                .backchannelLogoutUri(blankToNull(backchannelLogoutUri))
                .backchannelLogoutSessionRequired(on(backchannelLogoutSessionRequired));
        List<String> subjects = words(exchangeSubjectClients);
        List<String> audiences = words(exchangeAudiences);
        if (!subjects.isEmpty() || !audiences.isEmpty() || on(exchangeImpersonation)) {
            request.tokenExchange(new TokenExchangePolicy(subjects, audiences, on(exchangeImpersonation)));
        }
        if (grantTypes != null && grantTypes.stream().anyMatch(LEGACY_GRANTS::contains) && !on(legacyAcknowledged)) {
            problems.add(new FieldProblem("grantTypes",
                    "password and implicit are left out of OAuth 2.1: tick the acknowledgement to allow them"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return request.build();
    }

    private static boolean on(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : new LinkedHashSet<>(values);
    }

    private static Integer seconds(String field, String text, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "is a whole number of seconds"));
            return null;
        }
    }

    private static Map<String, Object> jwks(String field, String text, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(text.strip());
        } catch (ParseException e) {
            problems.add(new FieldProblem(field, "is not a JSON object (a JWK set: {\"keys\": [...]})"));
            return null;
        }
    }

    /** One value per line; blank lines dropped. */
    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String lines(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }

    /** Values separated by spaces or commas. */
    static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\s,]+")).filter(word -> !word.isEmpty()).toList();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
