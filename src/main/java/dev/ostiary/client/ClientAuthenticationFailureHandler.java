package dev.ostiary.client;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import dev.ostiary.abuse.SourceGuard;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.problem.OAuth2ErrorResponse;
import dev.ostiary.web.ClaimedClientId;

/**
 * The answer to a failed client authentication, per RFC 6749 §5.2: {@code invalid_client} is a 401,
 * and a client that tried HTTP Basic gets a {@code WWW-Authenticate: Basic} challenge. Only the
 * error code goes back: no hint whether the client exists. Every failure is audited and counted
 * against the source address (and the client id when a client threshold is set), in one statement.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public class ClientAuthenticationFailureHandler implements AuthenticationFailureHandler {

    private final ApplicationEventPublisher events;
    private final SourceGuard guard;

    public ClientAuthenticationFailureHandler(ApplicationEventPublisher events, SourceGuard guard) {
        this.events = events;
        this.guard = guard;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        SecurityContextHolder.clearContext();
        String code = exception instanceof OAuth2AuthenticationException oauth2
                ? oauth2.getError().getErrorCode() : OAuth2ErrorCodes.INVALID_CLIENT;
        HttpStatus status = HttpStatus.BAD_REQUEST;
        if (OAuth2ErrorCodes.INVALID_CLIENT.equals(code)) {
            status = HttpStatus.UNAUTHORIZED;
            if (ClaimedClientId.usedBasic(request)) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ostiary\", charset=\"UTF-8\"");
            }
            String clientId = attemptedClientId(request);
            guard.clientAuthenticationFailed(request.getRemoteAddr(), clientId);
            events.publishEvent(new AuditEvent(java.time.Instant.now(), AuditEventType.CLIENT_AUTH_FAILED,
                    clientId, null, request.getRemoteAddr(), Map.of("endpoint", request.getRequestURI())));
        }
        OAuth2ErrorResponse.send(response, status, new OAuth2Error(code));
    }

    /** The client id the caller claimed, for the audit trail, at most 100 characters. */
    static String attemptedClientId(HttpServletRequest request) {
        String claimed = ClaimedClientId.from(request);
        return claimed == null || claimed.length() <= 100 ? claimed : claimed.substring(0, 100);
    }
}
