package dev.ostiary.registration;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.problem.InvalidRequestException;

/** Initial access tokens for dynamic client registration, handed out by administrators. */
@RestController
@Tag(name = "Dynamic registration", description = "RFC 7591 initial access tokens")
class RegistrationAdminController {

    /** How long the token may wait for its one use. */
    record Request(Long expiresInSeconds) {
    }

    private final RegistrationTokens tokens;
    private final ApplicationEventPublisher events;

    RegistrationAdminController(RegistrationTokens tokens, ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.events = events;
    }

    @PostMapping("/admin/api/registration-tokens")
    @Operation(summary = "Issue an initial access token (single use) for POST /oauth2/register")
    ResponseEntity<Map<String, Object>> issue(@RequestBody(required = false) Request request, Principal admin) {
        long seconds = request == null || request.expiresInSeconds() == null ? 86_400 : request.expiresInSeconds();
        if (seconds < 60 || seconds > 30L * 86_400) {
            throw new InvalidRequestException("expiresInSeconds", "must be between 60 and 2592000");
        }
        String token = tokens.issueInitial(admin.getName(), Duration.ofSeconds(seconds));
        events.publishEvent(AuditEvent.of(AuditEventType.INITIAL_ACCESS_TOKEN_ISSUED, null, admin.getName(),
                Map.of("expiresInSeconds", seconds)));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("initialAccessToken", token,
                "expiresAt", Instant.now().plusSeconds(seconds).toString(), "registrationEndpoint", "/oauth2/register"));
    }
}
