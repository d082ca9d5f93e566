package dev.ostiary.stepup;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * What an authorization request asks of the sign-in (OIDC Core §3.1.2.1, RFC 9470 §4): {@code acr_values}
 * (space-separated, in order of preference; only Ostiary's own levels count, the highest of them is
 * what the session must reach: a client that names loa:2 anywhere wants the step-up, and an unknown
 * value is ignored, as a voluntary claim may be), {@code max_age} (seconds since {@code auth_time}) and
 * {@code prompt}.
 *
 * <p>Bad values are {@code invalid_request} (OIDC Core §3.1.2.6): {@code max_age} not a non-negative
 * integer, {@code acr_values} longer than {@value #MAX_ACR_VALUES_LENGTH} characters, with more than
 * {@value #MAX_ACR_VALUES} values or with characters outside printable ASCII. A repeated parameter never
 * gets here (web/StrictEndpointParameters answers it with 400).
 *
 * @param requestedRank the highest Ostiary level named in {@code acr_values} (0: none)
 * @param maxAge {@code max_age} in seconds, or null
 * @param prompt the {@code prompt} values
 */
public record SignInRequest(int requestedRank, Long maxAge, Set<String> prompt) {

    public static final String ACR_VALUES = "acr_values";
    public static final String MAX_AGE = "max_age";
    public static final String PROMPT = "prompt";
    static final int MAX_ACR_VALUES_LENGTH = 512;
    static final int MAX_ACR_VALUES = 10;
    /** More than 10 digits would be over 300 years: a number that large is a probe, not a request. */
    private static final int MAX_AGE_DIGITS = 10;

    public SignInRequest {
        prompt = Set.copyOf(prompt);
    }

    /**
     * The sign-in requirements of an authorization request's additional parameters.
     *
     * @throws InvalidSignInRequestException {@code invalid_request}, naming the parameter
     */
    public static SignInRequest of(Map<String, Object> parameters) {
        return new SignInRequest(requestedRank(single(parameters, ACR_VALUES)), maxAge(single(parameters, MAX_AGE)),
                prompt(single(parameters, PROMPT)));
    }

    public boolean promptNone() {
        return prompt.contains("none");
    }

    public boolean promptLogin() {
        return prompt.contains("login");
    }

    private static String single(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        // a repeated parameter in a pushed request or request object (RFC 6749 §3.1: sent at most once)
        throw invalid(name, name + " must be given once");
    }

    private static int requestedRank(String acrValues) {
        if (acrValues == null || acrValues.isEmpty()) {
            return 0;
        }
        if (acrValues.length() > MAX_ACR_VALUES_LENGTH || !acrValues.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw invalid(ACR_VALUES, "acr_values must be at most " + MAX_ACR_VALUES_LENGTH
                    + " printable ASCII characters");
        }
        String[] values = acrValues.trim().split(" +");
        if (values.length > MAX_ACR_VALUES) {
            throw invalid(ACR_VALUES, "acr_values may name at most " + MAX_ACR_VALUES + " values");
        }
        return Arrays.stream(values).mapToInt(SignInLevel::rankOf).max().orElse(0);
    }

    private static Long maxAge(String maxAge) {
        if (maxAge == null) {
            return null;
        }
        if (maxAge.isEmpty() || maxAge.length() > MAX_AGE_DIGITS || !maxAge.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(MAX_AGE, "max_age must be a non-negative number of seconds");
        }
        return Long.parseLong(maxAge);
    }

    private static Set<String> prompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(prompt.trim().split(" +")).collect(Collectors.toUnmodifiableSet());
    }

    private static InvalidSignInRequestException invalid(String parameter, String description) {
        return new InvalidSignInRequestException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description,
                "https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest"), parameter);
    }

    /** A malformed sign-in parameter; the validator turns it into the endpoint's own error. */
    public static final class InvalidSignInRequestException extends RuntimeException {

        private final transient OAuth2Error error;

        InvalidSignInRequestException(OAuth2Error error, String parameter) {
            super(parameter + ": " + error.getDescription(), null, false, false);
            this.error = error;
        }

        public OAuth2Error error() {
            return error;
        }
    }
}
