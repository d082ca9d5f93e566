package dev.ostiary.logout;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.user.Deprovisioning;

/**
 * "Sign out everywhere" on the account page: every browser session of the user ends, on every
 * instance, every authorization the user gave any client is revoked (codes, access and refresh
 * tokens), and every client that signed the user in and registered a back-channel logout URI is
 * sent a logout token, one per session it knows ({@code sid}). The revocation is deprovisioning's
 * ({@link Deprovisioning#revokeTokensAndSessions}), so there is one way to take everything away.
 */
public class SignOutEverywhere {

    private final SessionAuthorizations sessions;
    private final BackchannelLogoutOutbox outbox;
    private final Deprovisioning deprovisioning;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public SignOutEverywhere(SessionAuthorizations sessions, BackchannelLogoutOutbox outbox,
            Deprovisioning deprovisioning, ApplicationEventPublisher events, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.deprovisioning = deprovisioning;
        this.events = events;
        this.clock = clock;
    }

    public void signOut(String username, String sourceIp) {
        signOut(username, sourceIp, null);
    }

    /**
     * The same on an operator's request: the event names the operator ({@code actor}) and the user as
     * {@code target}.
     */
    public void signOut(String username, String sourceIp, String actor) {
        // read before the revocation takes the rows away; one logout token per client and session
        List<BackchannelLogoutOutbox.Target> targets = List.copyOf(new LinkedHashSet<>(
                sessions.withIdTokens(username).stream().map(SessionAuthorizations.Granted::target).toList()));
        int notified = outbox.enqueue(targets);
        deprovisioning.revokeTokensAndSessions(username);
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.LOGOUT_EVERYWHERE, null,
                actor == null ? username : actor, sourceIp, actor == null ? Map.of("backchannel_logouts", notified)
                        : Map.of("backchannel_logouts", notified, "target", username)));
    }
}
