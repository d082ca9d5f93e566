package dev.ostiary.stepup;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.ostiary.authorization.StatelessAccessTokens;

/**
 * The admin API's second-factor rule ({@link StepUpProperties#adminRequiresSecondFactor()}): a token a
 * user got (any grant but client_credentials) must carry acr {@value SignInLevel#LOA_2}; a service's
 * own token (client_credentials, told by its {@code jti}, never by a subject that happens to equal the
 * client id) has no sign-in and is judged by its scope and roles alone. A user token that has the scope
 * and role but a weaker sign-in is answered 403 with RFC 9470 §3's challenge,
 * {@code Bearer error="insufficient_user_authentication", acr_values="urn:ostiary:loa:2"}, so the client
 * knows to ask for a step-up; any other refusal as before ({@code insufficient_scope}).
 */
public final class AdminApiSignIn {

    static final String CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"The admin API needs a sign-in with a second factor\", acr_values=\""
            + SignInLevel.LOA_2 + "\"";

    private final boolean enabled;

    public AdminApiSignIn(StepUpProperties properties) {
        this.enabled = properties.adminRequiresSecondFactor();
    }

    /** Grants a service token or a user token with loa:2; everything, when the rule is off. */
    public AuthorizationManager<RequestAuthorizationContext> secondFactorForUsers() {
        return new AuthorizationManager<>() {
            @Override
            public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                    RequestAuthorizationContext context) {
                return new AuthorizationDecision(satisfied(authentication.get()));
            }
        };
    }

    /** RFC 9470 §3 for a weak sign-in that is otherwise allowed; Spring's bearer answer for the rest. */
    public AccessDeniedHandler accessDenied(java.util.function.Predicate<Authentication> otherwiseAllowed) {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (HttpServletRequest request, HttpServletResponse response,
                org.springframework.security.access.AccessDeniedException denied) -> {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && otherwiseAllowed.test(authentication) && !satisfied(authentication)) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
                response.setStatus(HttpStatus.FORBIDDEN.value());
                return;
            }
            bearer.handle(request, response, denied);
        };
    }

    boolean satisfied(Authentication authentication) {
        if (!enabled) {
            return true;
        }
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return false;
        }
        Jwt jwt = token.getToken();
        boolean serviceToken = StatelessAccessTokens.grantOrGuess(jwt.getId(), jwt.getSubject(),
                jwt.getClaimAsString("client_id")).filter(AuthorizationGrantType.CLIENT_CREDENTIALS::equals).isPresent();
        return serviceToken || SignInLevel.rankOf(jwt.getClaimAsString(SignInLevel.ACR)) >= 2;
    }
}
