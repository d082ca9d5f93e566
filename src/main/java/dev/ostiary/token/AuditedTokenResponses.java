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
            String grantType = request.getParameter("grant_type");
            // the subject only for user grants: client_credentials, the hot path, has none worth parsing for
            String user = "client_credentials".equals(grantType) ? null : subjectOf(issued.getAccessToken().getTokenValue());
            events.publishEvent(new AuditEvent(java.time.Instant.now(), AuditEventType.TOKEN_ISSUED,
                    issued.getRegisteredClient().getClientId(), user, request.getRemoteAddr(), details));
        }
    }

    /** The subject of a token we just issued (no verification needed). */
    private static String subjectOf(String accessToken) {
        try {
            return com.nimbusds.jwt.JWTParser.parse(accessToken).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            return null;
        }
    }
}
