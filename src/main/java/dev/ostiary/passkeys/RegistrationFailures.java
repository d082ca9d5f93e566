package dev.ostiary.passkeys;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Spring's registration filter lets a refused attestation (wrong origin or RP ID, no user
 * verification, a credential id already registered, a bad label) escape as an exception, which the
 * container would answer with a 500. Here it is a 400 with a small JSON body, and audited.
 */
final class RegistrationFailures extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RegistrationFailures.class);
    private static final RequestMatcher REGISTER = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/webauthn/register");

    private final ApplicationEventPublisher events;
    private final Clock clock;

    RegistrationFailures(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !REGISTER.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            // the class only: messages can carry the attestation's bytes
            log.info("Passkey registration refused: {}", e.getClass().getName());
            var authentication = SecurityContextHolder.getContext().getAuthentication();
            events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.PASSKEY_REGISTRATION_FAILED, null,
                    authentication == null ? null : authentication.getName(), null,
                    Map.of("reason", e.getClass().getSimpleName())));
            response.resetBuffer();
            PasskeySignIn.write(response, HttpStatus.BAD_REQUEST, "{\"success\":false}");
        }
    }
}
