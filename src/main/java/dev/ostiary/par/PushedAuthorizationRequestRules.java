package dev.ostiary.par;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.client.RedirectUriMatching;
import dev.ostiary.grant.SignInRequiredException;
import dev.ostiary.replay.SeenJtis;

/**
 * Ostiary's rules for {@code request_uri} at the authorization endpoint, around Spring's code request
 * provider (which resolves a pushed request, checks its client and expiry):
 * <ul>
 * <li>a client that must push its requests (its own setting, or FAPI 2.0) is refused a request without
 * {@code request_uri} (RFC 9126 §5): {@code invalid_request}, to its redirect URI once that is known
 * good, else on the error page;</li>
 * <li>only our own request URIs, {@code urn:ietf:params:oauth:request_uri:} from the PAR endpoint, are
 * accepted; anything else (an {@code https} URL) is {@code invalid_request_uri} and never fetched
 * (RFC 9101 §5.2 leaves fetching to the server; we do not, RFC 9126 §4);</li>
 * <li>a request URI is used once (RFC 9126 §4, "one-time use"): the first signed-in use claims it in
 * PostgreSQL ({@link SeenJtis}, {@code insert … on conflict do nothing}), so two concurrent uses cannot
 * both pass; a use before sign-in only leads to the login page and claims nothing, and a use sent to a
 * stronger sign-in first (step-up, re-authentication: nothing issued) gives its claim back;</li>
 * <li>Spring's refusals of a request URI (unknown, expired, another client's) answer
 * {@code invalid_request_uri} on the error page (RFC 9101 §7): no redirect URI of the request is
 * trusted then.</li>
 * </ul>
 */
public final class PushedAuthorizationRequestRules implements AuthenticationProvider {

    /** RFC 9126 §2.2: the URN prefix of the request URIs Spring's PAR endpoint hands out. */
    public static final String OUR_REQUEST_URIS = "urn:ietf:params:oauth:request_uri:";
    /** Spring's pushed requests live 300 s; a claimed request URI is remembered at least as long. */
    static final Duration REQUEST_URI_LIFETIME = Duration.ofSeconds(300);
    static final String INVALID_REQUEST_URI = "invalid_request_uri";
    static final String REQUEST_OBJECT = "request";
    static final String REQUEST_NOT_VERIFIED = "invalid_request_object";

    private final AuthenticationProvider delegate;
    private final RegisteredClientRepository clients;
    private final SeenJtis seen;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public PushedAuthorizationRequestRules(AuthenticationProvider delegate, RegisteredClientRepository clients,
            SeenJtis seen, Clock clock, ApplicationEventPublisher events) {
        this.delegate = delegate;
        this.clients = clients;
        this.seen = seen;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof OAuth2AuthorizationCodeRequestAuthenticationToken request)) {
            return delegate.authenticate(authentication);
        }
        RegisteredClient client = request.getClientId() == null ? null : clients.findByClientId(request.getClientId());
        Object requestUri = request.getAdditionalParameters().get(OAuth2ParameterNames.REQUEST_URI);
        if (client == null) {
            return delegate.authenticate(request);
        }
        if (requestUri == null) {
            if (request.getAdditionalParameters().containsKey(REQUEST_OBJECT)) {
                // jar/SignedRequestObjects verifies a request object and replaces the request with it; one
                // still here was not verified, and ignoring it would authorize the outside parameters the
                // client meant to replace (RFC 9101 §6.3): refused, never ignored (defence in depth)
                throw refusedToClient(request, client, REQUEST_NOT_VERIFIED,
                        "The request object was not verified");
            }
            if (OstiaryClientSettings.requirePushedAuthorizationRequests(client)) {
                throw refusedToClient(request, client, OAuth2ErrorCodes.INVALID_REQUEST,
                        "This client must push its authorization requests (RFC 9126 §5)");
            }
            return delegate.authenticate(request);
        }
        if (!(requestUri instanceof String uri) || !uri.startsWith(OUR_REQUEST_URIS)) {
            throw refusedOnErrorPage(request, "request_uri must come from this server's PAR endpoint");
        }
        if (signedIn(request)
                && !seen.firstUse(SeenJtis.Kind.PUSHED_REQUEST_URI, client.getClientId(), uri,
                        clock.instant().plus(REQUEST_URI_LIFETIME))) {
            throw refusedOnErrorPage(request, "request_uri was already used");
        }
        try {
            return delegate.authenticate(request);
        } catch (SignInRequiredException e) {
            // a step-up or re-authentication first (stepup/StepUpValidator): nothing was issued, and the
            // saved request comes back with this request_uri afterwards, so this use is given back
            if (signedIn(request)) {
                seen.forget(SeenJtis.Kind.PUSHED_REQUEST_URI, client.getClientId(), uri);
            }
            throw e;
        } catch (OAuth2AuthorizationCodeRequestAuthenticationException e) {
            if (springRefusedTheRequestUri(e)) {
                throw refusedOnErrorPage(request, "request_uri is unknown, expired or not this client's");
            }
            throw e;
        }
    }

    /** Spring names the parameter in the description: request_uri (unknown, expired), client_id (another client's). */
    private static boolean springRefusedTheRequestUri(OAuth2AuthorizationCodeRequestAuthenticationException e) {
        OAuth2Error error = e.getError();
        String description = error.getDescription() == null ? "" : error.getDescription();
        return OAuth2ErrorCodes.INVALID_REQUEST.equals(error.getErrorCode())
                && (description.contains(OAuth2ParameterNames.REQUEST_URI)
                        || description.contains(OAuth2ParameterNames.CLIENT_ID));
    }

    /** To the client's redirect URI, once it is known good (RFC 9700 §4.11); the error page otherwise. */
    private OAuth2AuthorizationCodeRequestAuthenticationException refusedToClient(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client, String code,
            String description) {
        audit(request, code);
        RedirectUriMatching.checkRedirectUri(
                OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(client).build());
        String redirectUri = request.getRedirectUri() != null ? request.getRedirectUri()
                : client.getRedirectUris().iterator().next();
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null),
                withRedirect(request, redirectUri));
    }

    private OAuth2AuthorizationCodeRequestAuthenticationException refusedOnErrorPage(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, String description) {
        audit(request, INVALID_REQUEST_URI);
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(INVALID_REQUEST_URI, description, null), withRedirect(request, null));
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationToken withRedirect(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, String redirectUri) {
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                request.getClientId(), (Authentication) request.getPrincipal(), redirectUri, request.getState(),
                request.getScopes(), request.getAdditionalParameters());
    }

    /** As Spring's provider decides it: an anonymous principal is not signed in. */
    private static boolean signedIn(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return request.getPrincipal() instanceof Authentication user && user.isAuthenticated()
                && !(user instanceof AnonymousAuthenticationToken);
    }

    private void audit(OAuth2AuthorizationCodeRequestAuthenticationToken request, String error) {
        String username = signedIn(request) ? ((Authentication) request.getPrincipal()).getName() : null;
        events.publishEvent(AuditEvent.of(AuditEventType.AUTHORIZATION_REQUEST_REFUSED, request.getClientId(),
                username, Map.of("error", error)));
    }
}
