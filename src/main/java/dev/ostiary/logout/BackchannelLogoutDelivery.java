package dev.ostiary.logout;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.fetch.PinnedFormPoster;

/**
 * Delivers the queued logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): a form POST of
 * {@code logout_token} to the client's {@code backchannel_logout_uri}, through the safe fetcher. A
 * 200 (or 204, §2.8 allows for frameworks that send it) is delivered; anything else, a refused
 * destination or no answer is a failure, retried on {@link RetrySchedule} until it is given up.
 * Each outcome is audited; the token itself never is.
 */
public class BackchannelLogoutDelivery {

    private static final Logger log = LoggerFactory.getLogger(BackchannelLogoutDelivery.class);

    private final BackchannelLogoutOutbox outbox;
    private final LogoutTokens tokens;
    private final PinnedFormPoster poster;
    private final ApplicationEventPublisher events;
    private final LogoutProperties properties;
    private final Clock clock;

    public BackchannelLogoutDelivery(BackchannelLogoutOutbox outbox, LogoutTokens tokens, PinnedFormPoster poster,
            ApplicationEventPublisher events, LogoutProperties properties, Clock clock) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.poster = poster;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** One round: every delivery due now, claimed by this instance. */
    public void deliverDue() {
        for (BackchannelLogoutOutbox.Pending pending : outbox.claimDue(properties.batchSize(),
                properties.claimLease())) {
            deliver(pending);
        }
    }

    private void deliver(BackchannelLogoutOutbox.Pending pending) {
        String problem;
        try {
            String token = tokens.sign(new LogoutTokens.Logout(pending.issuer(), pending.clientId(),
                    pending.subject(), pending.sid(),
                    pending.jti()), clock.instant());
            int status = poster.post(pending.uri(), "logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII));
            if (status == 200 || status == 204) {
                outbox.delivered(pending);
                audit(AuditEventType.LOGOUT_BACKCHANNEL_DELIVERED, pending, null);
                return;
            }
            problem = "HTTP " + status;
        } catch (IOException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (RuntimeException e) {
            // a signing failure (no key yet) is retried like a network failure, never lost
            log.warn("Back-channel logout to client {} failed: {}", pending.clientId(), e.toString());
            problem = "could not sign the logout token";
        }
        boolean retried = outbox.failed(pending, problem, properties.retrySchedule());
        audit(retried ? AuditEventType.LOGOUT_BACKCHANNEL_FAILED : AuditEventType.LOGOUT_BACKCHANNEL_GIVEN_UP,
                pending, problem);
    }

    private void audit(AuditEventType type, BackchannelLogoutOutbox.Pending pending, String problem) {
        Map<String, Object> details = new HashMap<>();
        details.put("jti", pending.jti());
        details.put("attempt", pending.attempts());
        if (problem != null) {
            details.put("reason", problem);
        }
        events.publishEvent(new AuditEvent(clock.instant(), type, pending.clientId(), pending.subject(), null, details));
    }
}
