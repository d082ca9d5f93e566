package dev.ostiary.grant.devicecode;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * The device authorization response (RFC 8628 §3.2) as Spring writes it, with what Spring leaves out:
 * the polling {@code interval} the token endpoint enforces, a {@code verification_uri} under the
 * issuer (not the request's host), {@code Cache-Control: no-store} (the body holds a credential, as
 * RFC 6749 §5.1 asks of token responses), and the audit event. The event names the client and the
 * scopes, never a code.
 */
final class DeviceAuthorizationResponses implements AuthenticationSuccessHandler {

    private final OAuth2DeviceAuthorizationResponseHttpMessageConverter converter =
            new OAuth2DeviceAuthorizationResponseHttpMessageConverter();
    private final Duration interval;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DeviceAuthorizationResponses(Duration interval, ApplicationEventPublisher events, Clock clock) {
        this.interval = interval;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2DeviceAuthorizationRequestAuthenticationToken issued =
                (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
        OAuth2DeviceCode deviceCode = issued.getDeviceCode();
        OAuth2UserCode userCode = issued.getUserCode();
        String verificationUri = AuthorizationServerContextHolder.getContext().getIssuer() + DeviceCodeGrant.ACTIVATION_PAGE;
        OAuth2DeviceAuthorizationResponse body = OAuth2DeviceAuthorizationResponse.with(deviceCode, userCode)
                .verificationUri(verificationUri)
                .verificationUriComplete(UriComponentsBuilder.fromUriString(verificationUri)
                        .queryParam(OAuth2ParameterNames.USER_CODE, userCode.getTokenValue()).build().toUriString())
                .interval(interval.toSeconds())
                .build();
        String clientId = issued.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null ? client.getRegisteredClient().getClientId() : null;
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.DEVICE_AUTHORIZATION_ISSUED, clientId, null,
                request.getRemoteAddr(), Map.of("scopes", String.join(" ", issued.getScopes()))));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        converter.write(body, null, new ServletServerHttpResponse(response));
    }
}
