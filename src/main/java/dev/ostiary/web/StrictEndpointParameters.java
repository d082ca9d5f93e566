package dev.ostiary.web;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One edge check of the OAuth parameters, in the authorization server's filter chain ahead of client
 * authentication and of every request converter, so every grant Spring Authorization Server or we
 * add gets it:
 * <ul>
 * <li>a parameter given more than once is {@code invalid_request} (RFC 6749 §3.1, §3.2: "Request and
 * response parameters MUST NOT be included more than once"), except those defined as repeatable
 * ({@code resource}, RFC 8707 §2; {@code audience}, RFC 8693 §2.1) and the consent form's
 * {@code scope} list. Spring's converters otherwise cast a repeated {@code code} and answer 500;</li>
 * <li>the token, introspection and revocation endpoints take an
 * {@code application/x-www-form-urlencoded} body in UTF-8 and nothing else (RFC 6749 §3.2,
 * RFC 7662 §2.1, RFC 7009 §2.1), and no query string: their parameters belong in the body, and a
 * credential in a URL ends up in logs;</li>
 * <li>one client authentication method per request (RFC 6749 §2.3): HTTP Basic, {@code client_secret}
 * in the body and a client assertion exclude each other, and a body {@code client_id} must name the
 * client of the Basic header, and at most one {@code Authorization} header is sent;</li>
 * <li>a DPoP proof comes from the {@code DPoP} header only (RFC 9449 §4.1): the names Spring's
 * converters use to hand a proof on ({@code dpop_proof}, {@code dpop_method},
 * {@code dpop_target_uri}) are refused as parameters, so nobody can choose a proof's {@code htm} and
 * {@code htu}.</li>
 * </ul>
 * Errors are the endpoints' own: JSON for the client endpoints, the authorization endpoint's error
 * page (never a redirect: the redirect URI is not validated yet) for the authorization endpoint.
 */
public final class StrictEndpointParameters extends OncePerRequestFilter {

    private static final Set<String> REPEATABLE = Set.of("resource", "audience");
    private static final Set<String> DPOP_INTERNAL = Set.of("dpop_proof", "dpop_method", "dpop_target_uri");

    private final RequestMatcher clientEndpoints;
    private final RequestMatcher authorizationEndpoint;
    private final AuthenticationFailureHandler authorizationErrors;
    private final HttpMessageConverter<OAuth2Error> errors = new OAuth2ErrorHttpMessageConverter();

    /**
     * @param clientEndpoints token, introspection and revocation
     * @param authorizationEndpoint the authorization endpoint
     * @param authorizationErrors how the authorization endpoint answers an error it cannot redirect
     */
    public StrictEndpointParameters(RequestMatcher clientEndpoints, RequestMatcher authorizationEndpoint,
            AuthenticationFailureHandler authorizationErrors) {
        this.clientEndpoints = clientEndpoints;
        this.authorizationEndpoint = authorizationEndpoint;
        this.authorizationErrors = authorizationErrors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !clientEndpoints.matches(request) && !authorizationEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean clientEndpoint = clientEndpoints.matches(request);
        String problem = clientEndpoint ? clientRequestProblem(request) : authorizationRequestProblem(request);
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, problem, null);
        if (clientEndpoint) {
            response.setHeader("Cache-Control", "no-store");
            ServletServerHttpResponse out = new ServletServerHttpResponse(response);
            out.setStatusCode(HttpStatus.BAD_REQUEST);
            errors.write(error, null, out);
        } else {
            authorizationErrors.onAuthenticationFailure(request, response, new OAuth2AuthenticationException(error));
        }
    }

    private static String clientRequestProblem(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            return "Parameters must be sent in the request body, not in the URL";
        }
        String formProblem = formBodyProblem(request);
        if (formProblem != null) {
            return formProblem;
        }
        Map<String, String[]> parameters = request.getParameterMap();
        String common = parameterProblem(parameters, false);
        if (common != null) {
            return common;
        }
        return clientAuthenticationProblem(request, parameters);
    }

    private static String authorizationRequestProblem(HttpServletRequest request) {
        if ("POST".equals(request.getMethod())) {
            String formProblem = formBodyProblem(request);
            if (formProblem != null) {
                return formProblem;
            }
        }
        Map<String, String[]> parameters = request.getParameterMap();
        // the consent form posts each approved scope as a parameter of its own
        boolean consent = "POST".equals(request.getMethod()) && !parameters.containsKey(OAuth2ParameterNames.RESPONSE_TYPE);
        return parameterProblem(parameters, consent);
    }

    private static String formBodyProblem(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return "The request body must be application/x-www-form-urlencoded";
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (!MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
                return "The request body must be application/x-www-form-urlencoded";
            }
            String charset = type.getParameter("charset");
            if (charset != null && !charset.replace("\"", "").equalsIgnoreCase("UTF-8")) {
                return "The request body must be encoded in UTF-8";
            }
        } catch (InvalidMediaTypeException e) {
            return "The request body must be application/x-www-form-urlencoded";
        }
        return null;
    }

    private static String parameterProblem(Map<String, String[]> parameters, boolean consentForm) {
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (DPOP_INTERNAL.contains(name)) {
                return "DPoP proofs are accepted in the DPoP header only";
            }
            if (parameter.getValue().length > 1 && !REPEATABLE.contains(name)
                    && !(consentForm && OAuth2ParameterNames.SCOPE.equals(name))) {
                return "OAuth 2.0 Parameter " + printable(name) + " must not be repeated";
            }
        }
        return null;
    }

    private static String clientAuthenticationProblem(HttpServletRequest request, Map<String, String[]> parameters) {
        // one set of client credentials (RFC 6749 §2.3): with two Authorization headers Spring reads the
        // first, and a proxy or firewall that reads the last would see another client
        Enumeration<String> authorizations = request.getHeaders("Authorization");
        if (authorizations != null && authorizations.hasMoreElements()) {
            authorizations.nextElement();
            if (authorizations.hasMoreElements()) {
                return "Exactly one Authorization header is allowed";
            }
        }
        boolean basic = ClaimedClientId.usedBasic(request);
        boolean secretInBody = parameters.containsKey(OAuth2ParameterNames.CLIENT_SECRET);
        boolean assertion = parameters.containsKey(OAuth2ParameterNames.CLIENT_ASSERTION)
                || parameters.containsKey(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
        int methods = (basic ? 1 : 0) + (secretInBody ? 1 : 0) + (assertion ? 1 : 0);
        if (methods > 1) {
            return "Only one client authentication method may be used";
        }
        String[] bodyClientId = parameters.get(OAuth2ParameterNames.CLIENT_ID);
        if (basic && bodyClientId != null) {
            String basicClientId = ClaimedClientId.fromBasic(request);
            if (basicClientId != null && !basicClientId.equals(bodyClientId[0])) {
                return "The client_id does not match the client's HTTP Basic credentials";
            }
        }
        return null;
    }

    /** A parameter name fit to echo in an error description (RFC 6749 §5.2 allows %x20-21 / %x23-5B / %x5D-7E). */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 40; i++) {
            char c = name.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
