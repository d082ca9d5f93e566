package dev.ostiary.consent;

import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.authorization.RefreshTokenFamilies;

/** A user withdraws a client's consent: the consent goes, and every token the client holds for them. */
@Service
public class ConsentRevocation {

    private final PostgresConsentService consents;
    /** A family is one authorization row: every code, access and refresh token of one grant. */
    private final RefreshTokenFamilies families;
    private final ApplicationEventPublisher events;

    ConsentRevocation(PostgresConsentService consents, RefreshTokenFamilies families,
            ApplicationEventPublisher events) {
        this.consents = consents;
        this.families = families;
        this.events = events;
    }

    @Transactional
    public boolean revoke(RegisteredClient client, String username) {
        return revoke(client, username, null);
    }

    /** The same on an operator's request: the event names the operator and the user as {@code target}. */
    @Transactional
    public boolean revoke(RegisteredClient client, String username, String actor) {
        OAuth2AuthorizationConsent consent = consents.findById(client.getId(), username);
        if (consent == null) {
            return false;
        }
        consents.remove(consent);
        int revoked = families.revokeAll(client.getId(), username);
        events.publishEvent(AuditEvent.of(AuditEventType.CONSENT_REVOKED, client.getClientId(),
                actor == null ? username : actor, actor == null ? Map.of("authorizationsRevoked", revoked)
                        : Map.of("authorizationsRevoked", revoked, "target", username)));
        return true;
    }
}
