package dev.ostiary.token;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/** Spring's token response, plus a {@code token.issued} event (no token values in it). */
public final class AuditedTokenResponses implements AuthenticationSuccessHandler {

    private final AuthenticationSuccessHandler delegate = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final ApplicationEventPublisher events;

    public AuditedTokenResponses(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        delegate.onAuthenticationSuccess(request, response, authentication);
        if (authentication instanceof OAuth2AccessTokenAuthenticationToken issued) {
            Map<String, Object> details = new HashMap<>();
            details.put("grantType", request.getParameter("grant_type"));
            details.put("scopes", String.join(" ", issued.getAccessToken().getScopes()));
            details.put("refreshToken", issued.getRefreshToken() != null);
            events.publishEvent(new AuditEvent(java.time.Instant.now(), AuditEventType.TOKEN_ISSUED,
                    issued.getRegisteredClient().getClientId(), null, request.getRemoteAddr(), details));
        }
    }
}
