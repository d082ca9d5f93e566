package dev.ostiary.grant.devicecode;

import java.time.Clock;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Guessing user codes (RFC 8628 §5.1): a code has 34.6 bits, so every lookup of one a signed-in
 * user enters takes an attempt of that user and of the source address first, in PostgreSQL
 * ({@link FailureCounters#tryAttempt}: one conditional upsert each, so a burst of concurrent guesses
 * cannot slip past the count); a code that matches nothing, has expired or was used is a failure of
 * both, and after {@code userCodeAttempts} failures within the window the user is locked out
 * ({@code userCodeSourceAttempts} for the address).
 * The counters are the verification page's own keys ({@code user_code:…}): they do not lock anyone
 * out of signing in.
 */
final class UserCodeGuessing implements AuthenticationProvider {

    /** The error a locked-out user or address gets: the page says to wait. */
    static final String LOCKED = "temporarily_locked";
    private static final String KEY_PREFIX = "user_code:";

    private final AuthenticationProvider spring;
    private final FailureCounters counters;
    private final FailureCounters.Limit limit;
    private final FailureCounters.Limit sourceLimit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    UserCodeGuessing(AuthenticationProvider spring, FailureCounters counters, DeviceCodeProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        this.spring = spring;
        this.counters = counters;
        this.limit = new FailureCounters.Limit(properties.userCodeAttempts(), properties.userCodeWindow(),
                properties.userCodeLock());
        this.sourceLimit = new FailureCounters.Limit(properties.userCodeSourceAttempts(), properties.userCodeWindow(),
                properties.userCodeLock());
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceVerificationAuthenticationToken entry = (OAuth2DeviceVerificationAuthenticationToken) authentication;
        if (!(entry.getPrincipal() instanceof Authentication user) || user instanceof AnonymousAuthenticationToken
                || !user.isAuthenticated()) {
            return spring.authenticate(entry); // Spring refuses it: nobody to count against
        }
        String userKey = KEY_PREFIX + user.getName();
        String source = entry.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "unknown";
        String sourceKey = KEY_PREFIX + source;
        if (counters.tryAttempt(FailureCounters.Kind.USER, userKey, limit).isEmpty()) {
            throw locked(user.getName(), source);
        }
        if (counters.tryAttempt(FailureCounters.Kind.SOURCE_IP, sourceKey, sourceLimit).isEmpty()) {
            counters.attemptReleased(FailureCounters.Kind.USER, userKey);
            throw locked(user.getName(), source);
        }
        try {
            Authentication result = spring.authenticate(entry);
            counters.attemptSucceeded(FailureCounters.Kind.USER, userKey);
            counters.attemptSucceeded(FailureCounters.Kind.SOURCE_IP, sourceKey);
            return result;
        } catch (OAuth2AuthenticationException e) {
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(e.getError().getErrorCode())) {
                FailureCounters.Count count = counters.attemptFailed(FailureCounters.Kind.USER, userKey, limit);
                counters.attemptFailed(FailureCounters.Kind.SOURCE_IP, sourceKey, sourceLimit);
                audit(AuditEventType.DEVICE_USER_CODE_FAILED, null, user.getName(), source,
                        Map.of("failures", count.failures()));
            } else {
                release(userKey, sourceKey);
            }
            throw e;
        } catch (RuntimeException e) {
            release(userKey, sourceKey);
            throw e;
        }
    }

    private void release(String userKey, String sourceKey) {
        counters.attemptReleased(FailureCounters.Kind.USER, userKey);
        counters.attemptReleased(FailureCounters.Kind.SOURCE_IP, sourceKey);
    }

    private OAuth2AuthenticationException locked(String username, String source) {
        audit(AuditEventType.DEVICE_USER_CODE_FAILED, null, username, source, Map.of("locked", true));
        return new OAuth2AuthenticationException(new OAuth2Error(LOCKED,
                "Too many wrong codes: try again later", null));
    }

    private void audit(AuditEventType type, String clientId, String username, String source, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, clientId, username, source, details));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return spring.supports(authentication);
    }
}
