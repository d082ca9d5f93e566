package dev.ostiary.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
            if (usedBasic(request)) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ostiary\", charset=\"UTF-8\"");
            }
            String clientId = attemptedClientId(request);
            guard.clientAuthenticationFailed(request.getRemoteAddr(), clientId);
            events.publishEvent(new AuditEvent(java.time.Instant.now(), AuditEventType.CLIENT_AUTH_FAILED,
                    clientId, null, request.getRemoteAddr(), Map.of("endpoint", request.getRequestURI())));
        }
        OAuth2ErrorResponse.send(response, status, new OAuth2Error(code));
    }

    private static boolean usedBasic(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** The client id the caller claimed, for the audit trail; never the secret. */
    static String attemptedClientId(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String id = colon < 0 ? decoded : decoded.substring(0, colon);
                return truncate(java.net.URLDecoder.decode(id, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String[] ids = request.getParameterValues("client_id");
        return ids != null && ids.length == 1 ? truncate(ids[0]) : null;
    }

    private static String truncate(String value) {
        return value.length() > 100 ? value.substring(0, 100) : value;
    }
}
