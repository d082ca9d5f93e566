package dev.ostiary.stepup;

import java.time.Clock;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.ostiary.grant.SignInRequiredException;

/**
 * The authorization code request's step-up check, one of its validators (Spring's
 * {@code OAuth2AuthorizationCodeRequestAuthenticationProvider#setAuthenticationValidator}, after the
 * redirect URI, scope and resource checks, so an error may go to the redirect URI; for a pushed
 * request after its {@code request_uri} was resolved). The sign-in parameters are checked for every
 * request ({@link SignInRequest}: {@code invalid_request}); a signed-in user's session is then held
 * against them and against the client's and scopes' policy ({@link StepUpDecision}). Not signed in,
 * nothing more happens here: Spring sends the browser to the login page, and the request comes back
 * through this check after it.
 *
 * <p>At the PAR endpoint (RFC 9126) the principal is the client: only the parameters are checked.
 */
public final class StepUpValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** Where a re-authentication happens: the login page, which tells the user why. */
    public static final String REAUTHENTICATION_PAGE = "/login?reauth";
    /** Where a second factor is added (the secondfactor area's page). */
    public static final String SECOND_FACTOR_PAGE = "/login/second-factor?required";

    private final SecondFactorPolicy policy;
    private final Clock clock;

    public StepUpValidator(SecondFactorPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        SignInRequest asked;
        try {
            asked = SignInRequest.of(request.getAdditionalParameters());
        } catch (SignInRequest.InvalidSignInRequestException e) {
            throw refused(e.error(), request, client);
        }
        if (!(request.getPrincipal() instanceof Authentication user) || !signedIn(user)) {
            return;
        }
        HttpSession session = currentSession();
        SignInDemand demand = session == null ? null : (SignInDemand) session.getAttribute(SignInDemand.ATTRIBUTE);
        if (demand != null) {
            session.removeAttribute(SignInDemand.ATTRIBUTE);
        }
        SignInLevel level = SignInLevel.of(user);
        StepUpDecision.Outcome outcome = StepUpDecision.decide(asked,
                policy.requiredRank(client, request.getScopes()), level, SignInLevel.primaryFactorAt(user), demand,
                clock.instant());
        switch (outcome) {
            case PROCEED -> {
            }
            case REAUTHENTICATE -> throw demand(session, SignInDemand.Kind.REAUTHENTICATE, request, client,
                    REAUTHENTICATION_PAGE);
            case STEP_UP -> throw demand(session, SignInDemand.Kind.STEP_UP, request, client, SECOND_FACTOR_PAGE);
            case LOGIN_REQUIRED -> throw refused(error("login_required",
                    "The user must sign in again (prompt=login or max_age), which prompt=none forbids"), request, client);
            case INTERACTION_REQUIRED -> throw refused(error("interaction_required",
                    "The sign-in needs a second factor, which prompt=none forbids"), request, client);
            case ACCESS_DENIED -> throw refused(error(OAuth2ErrorCodes.ACCESS_DENIED,
                    "This client or scope requires a second factor, and none was given"), request, client);
        }
    }

    private OAuth2AuthorizationCodeRequestAuthenticationException demand(HttpSession session, SignInDemand.Kind kind,
            OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client, String page) {
        if (session == null) {
            // no session to come back to (cannot happen for a signed-in browser): never redirect blindly
            return refused(error(OAuth2ErrorCodes.ACCESS_DENIED, "A stronger sign-in is required"), request, client);
        }
        session.setAttribute(SignInDemand.ATTRIBUTE, new SignInDemand(kind, clock.instant()));
        return new SignInRequiredException(error(kind == SignInDemand.Kind.STEP_UP ? "interaction_required"
                : "login_required", "A stronger or fresher sign-in is required"), request, page);
    }

    /** An error for the (already verified) redirect URI, the registered one when the request named none. */
    private static OAuth2AuthorizationCodeRequestAuthenticationException refused(OAuth2Error error,
            OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
        String redirectUri = request.getRedirectUri();
        if ((redirectUri == null || redirectUri.isEmpty()) && client != null && client.getRedirectUris().size() == 1) {
            redirectUri = client.getRedirectUris().iterator().next();
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken answered = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
                redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
        return new OAuth2AuthorizationCodeRequestAuthenticationException(error, answered);
    }

    private static OAuth2Error error(String code, String description) {
        return new OAuth2Error(code, description, "https://openid.net/specs/openid-connect-core-1_0.html#AuthError");
    }

    /** A user, not the client of a pushed request, and not the anonymous placeholder. */
    private static boolean signedIn(Authentication user) {
        return user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken)
                && !(user instanceof OAuth2ClientAuthenticationToken);
    }

    private static HttpSession currentSession() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getSession(false) : null;
    }
}
