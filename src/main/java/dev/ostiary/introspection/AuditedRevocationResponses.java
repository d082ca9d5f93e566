package dev.ostiary.introspection;

import java.time.Instant;
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
 * RFC 7009's answer (200, empty body), plus the request's one {@code token.revoked} event: the
 * client, source address and {@code token_type_hint}, never the token. When the store listed a
 * stateless access token ({@link StatelessAuthorizations#REVOKED}), the event also names its jti
 * and owner.
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
        String clientId = authentication.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                ? client.getName() : null;
        Map<String, Object> details = new HashMap<>();
        String hint = request.getParameter("token_type_hint");
        if (hint != null && hint.length() < 40) {
            details.put("tokenTypeHint", hint);
        }
        String owner = null;
        if (request.getAttribute(StatelessAuthorizations.REVOKED) instanceof StatelessAuthorizations.Revoked revoked) {
            owner = revoked.owner();
            details.put("jti", revoked.jti());
            details.put("tokenType", "access_token");
        }
        events.publishEvent(new AuditEvent(Instant.now(), AuditEventType.TOKEN_REVOKED, clientId, owner,
                request.getRemoteAddr(), details));
    }
}
