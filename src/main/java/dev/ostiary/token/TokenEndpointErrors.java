package dev.ostiary.token;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.web.ClaimedClientId;

/**
 * The token endpoint's error answers: Spring's (400, or 401 for {@code invalid_client}), except that
 * {@code temporarily_unavailable} is a 503 with {@code Retry-After}. RFC 6749 §5.2 defines that code
 * for the authorization endpoint only (§4.1.2.1), but a token request refused because the server is
 * busy is not the client's error: a 503 with {@code Retry-After} (RFC 9110 §15.6.4, §10.2.3) is what
 * HTTP client libraries retry, a 400 is not. A refused resource ({@code invalid_target}, RFC 8707) is
 * audited.
 */
public final class TokenEndpointErrors implements AuthenticationFailureHandler {

    /** The password check was not run: too many are waiting for a hashing thread. */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private final OAuth2ErrorAuthenticationFailureHandler spring = new OAuth2ErrorAuthenticationFailureHandler();
    private final IssuedTokenAudit audit;

    /** @param audit where a refused resource ({@code invalid_target}) is audited */
    public TokenEndpointErrors(IssuedTokenAudit audit) {
        this.audit = audit;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        if (exception instanceof OAuth2AuthenticationException oauth2
                && TEMPORARILY_UNAVAILABLE.equals(oauth2.getError().getErrorCode())) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "1");
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"error\":\"" + TEMPORARILY_UNAVAILABLE
                    + "\",\"error_description\":\"" + oauth2.getError().getDescription() + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (exception instanceof OAuth2AuthenticationException oauth2
                && ResourceIndicators.INVALID_TARGET.equals(oauth2.getError().getErrorCode())) {
            // Spring's token filter has cleared the security context by now; invalid_target comes after
            // client authentication succeeded, so the claimed client is the authenticated one
            audit.targetRefused(request, ClaimedClientId.from(request), request.getParameter("grant_type"));
        }
        spring.onAuthenticationFailure(request, response, exception);
    }
}
