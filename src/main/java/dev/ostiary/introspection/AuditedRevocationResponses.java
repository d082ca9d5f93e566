package dev.ostiary.introspection;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.authorization.StatelessAuthorizations;

/**
 * RFC 7009's answer (200, empty body), plus a {@code token.revoked} event without the token, unless
 * the store already published a richer one for this request (a stateless access token revoked).
 */
public final class AuditedRevocationResponses implements AuthenticationSuccessHandler {

    private final ApplicationEventPublisher events;

    public AuditedRevocationResponses(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) {
        response.setStatus(HttpStatus.OK.value());
        response.setHeader("Cache-Control", "no-store");
        if (request.getAttribute(StatelessAuthorizations.REVOCATION_AUDITED) != null) {
            return; // the store published it, with the token's jti and owner
        }
        String clientId = authentication.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                ? client.getName() : null;
        Map<String, Object> details = new HashMap<>();
        String hint = request.getParameter("token_type_hint");
        if (hint != null && hint.length() < 40) {
            details.put("tokenTypeHint", hint);
        }
        events.publishEvent(new AuditEvent(java.time.Instant.now(), AuditEventType.TOKEN_REVOKED, clientId, null,
                request.getRemoteAddr(), details));
    }
}
