package dev.ostiary.jar;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.client.RedirectUriMatching;

/**
 * Signed request objects (RFC 9101) at the authorization and PAR endpoints, around Spring's own
 * converter (which both endpoints use): a request with {@code request} becomes the request the object
 * carries, and only that (§6.3: outside parameters are ignored; {@code client_id} and
 * {@code response_type} outside must match). A client that must sign its requests (§10.5) is refused
 * a plain request, except by a {@code request_uri}: only our PAR's, where the pushed request was
 * checked the same way. Refusals are {@code invalid_request_object} (§7.1), to the client's redirect
 * URI only once client and outside redirect URI are known good (a rejected object's own redirect URI
 * is not trusted), else on the error page; at PAR a JSON error.
 */
public final class SignedRequestObjects implements AuthenticationConverter {

    static final String REQUEST = "request";
    static final String INVALID_REQUEST_OBJECT = "invalid_request_object";
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc9101#section-7.1";
    /** The claims that are about the object, not parameters of the request it carries. */
    private static final Set<String> NOT_PARAMETERS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti", "sub",
            OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.RESPONSE_TYPE, OAuth2ParameterNames.REDIRECT_URI,
            OAuth2ParameterNames.SCOPE, OAuth2ParameterNames.STATE, REQUEST, OAuth2ParameterNames.REQUEST_URI);

    private final AuthenticationConverter spring = new OAuth2AuthorizationCodeRequestAuthenticationConverter();
    private final RegisteredClientRepository clients;
    private final RequestObjectVerifier verifier;
    private final ApplicationEventPublisher events;

    public SignedRequestObjects(RegisteredClientRepository clients, RequestObjectVerifier verifier,
            ApplicationEventPublisher events) {
        this.clients = clients;
        this.verifier = verifier;
        this.events = events;
    }

    @Override
    public Authentication convert(HttpServletRequest http) {
        String clientId = http.getParameter(OAuth2ParameterNames.CLIENT_ID);
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (client == null
                || http.getParameter(REQUEST) == null && !OstiaryClientSettings.requireSignedRequestObject(client)) {
            // not ours: the next converters (the implicit grant's, Spring's) take it; an unknown client
            // is refused by Spring on the error page, nothing of an object is read
            return null;
        }
        Authentication converted = spring.convert(http);
        Request token;
        if (converted instanceof OAuth2PushedAuthorizationRequestAuthenticationToken push) {
            token = new Request(push.getAuthorizationUri(), push.getClientId(), (Authentication) push.getPrincipal(),
                    push.getRedirectUri(), push.getState(), push.getScopes(), push.getAdditionalParameters(), true);
        } else if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken code) {
            token = new Request(code.getAuthorizationUri(), code.getClientId(), (Authentication) code.getPrincipal(),
                    code.getRedirectUri(), code.getState(), code.getScopes(), code.getAdditionalParameters(), false);
        } else {
            return converted;
        }
        boolean pushed = token.pushed();
        Object object = token.getAdditionalParameters().get(REQUEST);
        if (object == null) {
            if (pushed || token.getAdditionalParameters().get(OAuth2ParameterNames.REQUEST_URI) == null) {
                throw refused(token, client, "This client must sign its authorization requests (RFC 9101 §10.5)");
            }
            return converted;
        }
        if (!(object instanceof String jwt) || token.getAdditionalParameters().containsKey(OAuth2ParameterNames.REQUEST_URI)) {
            throw refused(token, client, "One request object, and not with request_uri (RFC 9101 §5)");
        }
        String issuer = AuthorizationServerContextHolder.getContext().getIssuer();
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(jwt, client, issuer, pushed || signedIn(token));
        } catch (RequestObjectVerifier.Refused e) {
            throw refused(token, client, e.getMessage());
        }
        Object responseType = claims.getClaim(OAuth2ParameterNames.RESPONSE_TYPE);
        Object outsideResponseType = http.getParameter(OAuth2ParameterNames.RESPONSE_TYPE);
        if (responseType != null && outsideResponseType != null && !responseType.equals(outsideResponseType)) {
            throw refused(token, client, "response_type must be the same inside and outside the request object");
        }
        return fromObject(token, claims, pushed);
    }

    /** The request the object carries (RFC 9101 §6.3); string claims only, as parameters are strings. */
    private static Authentication fromObject(Request token,
            JWTClaimsSet claims, boolean pushed) {
        Map<String, Object> parameters = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (!NOT_PARAMETERS.contains(name) && value instanceof String text) {
                parameters.put(name, text);
            }
        });
        String redirectUri = stringClaim(claims, OAuth2ParameterNames.REDIRECT_URI);
        String state = stringClaim(claims, OAuth2ParameterNames.STATE);
        String scope = stringClaim(claims, OAuth2ParameterNames.SCOPE);
        Set<String> scopes = scope == null ? null : new HashSet<>(List.of(scope.trim().split("\\s+")));
        Authentication principal = token.getPrincipal();
        return pushed
                ? new OAuth2PushedAuthorizationRequestAuthenticationToken(token.getAuthorizationUri(),
                        token.getClientId(), principal, redirectUri, state, scopes, parameters)
                : new OAuth2AuthorizationCodeRequestAuthenticationToken(token.getAuthorizationUri(),
                        token.getClientId(), principal, redirectUri, state, scopes, parameters);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value && !value.isBlank() ? value : null;
    }

    /**
     * The refusal. At the authorization endpoint, to the outside redirect URI once it is one of the
     * client's (RedirectUriMatching throws its own error-page refusal otherwise), or the client's only
     * one; the state outside is the one the client can match (RFC 9101 §7).
     */
    private OAuth2AuthorizationCodeRequestAuthenticationException refused(
            Request token, RegisteredClient client, String reason) {
        Authentication principal = token.getPrincipal();
        String username = signedIn(token) && !token.pushed()
                ? principal.getName() : null;
        events.publishEvent(AuditEvent.of(AuditEventType.AUTHORIZATION_REQUEST_REFUSED, client.getClientId(),
                username, Map.of("error", INVALID_REQUEST_OBJECT, "reason", reason)));
        OAuth2Error error = new OAuth2Error(INVALID_REQUEST_OBJECT, reason, ERROR_URI);
        if (token.pushed()) {
            return new OAuth2AuthorizationCodeRequestAuthenticationException(error, null);
        }
        Request request = token;
        String redirectUri = request.getRedirectUri();
        if (redirectUri == null && client.getRedirectUris().size() == 1) {
            redirectUri = client.getRedirectUris().iterator().next();
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken answer = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), principal, redirectUri, request.getState(),
                request.getScopes(), Map.of());
        if (redirectUri == null) {
            return new OAuth2AuthorizationCodeRequestAuthenticationException(error, answer);
        }
        try {
            RedirectUriMatching.checkRedirectUri(
                    OAuth2AuthorizationCodeRequestAuthenticationContext.with(answer).registeredClient(client).build());
            return new OAuth2AuthorizationCodeRequestAuthenticationException(error, answer);
        } catch (OAuth2AuthorizationCodeRequestAuthenticationException notTheClients) {
            // not one of the client's redirect URIs: the error page
            return new OAuth2AuthorizationCodeRequestAuthenticationException(error,
                    new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                            request.getClientId(), principal, null, request.getState(), request.getScopes(), Map.of()));
        }
    }

    /** What both of Spring's request tokens carry (their common superclass is not public). */
    private record Request(String getAuthorizationUri, String getClientId, Authentication getPrincipal,
            String getRedirectUri, String getState, Set<String> getScopes, Map<String, Object> getAdditionalParameters,
            boolean pushed) {
    }

    /** As Spring's provider decides it: an anonymous principal is not signed in. */
    private static boolean signedIn(Request token) {
        Authentication user = token.getPrincipal();
        return user != null && user.isAuthenticated()
                && !(user instanceof AnonymousAuthenticationToken);
    }
}
