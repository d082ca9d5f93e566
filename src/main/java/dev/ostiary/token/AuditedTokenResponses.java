package dev.ostiary.token;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/** Spring's token response, plus a {@code token.issued} event ({@link IssuedTokenAudit}). */
public final class AuditedTokenResponses implements AuthenticationSuccessHandler {

    private final AuthenticationSuccessHandler delegate = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final IssuedTokenAudit audit;

    public AuditedTokenResponses(IssuedTokenAudit audit) {
        this.audit = audit;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        delegate.onAuthenticationSuccess(request, response, authentication);
        if (authentication instanceof OAuth2AccessTokenAuthenticationToken issued) {
            audit.issued(request, issued.getRegisteredClient().getClientId(), request.getParameter("grant_type"),
                    issued.getAccessToken(), issued.getRefreshToken() != null);
        }
    }
}
