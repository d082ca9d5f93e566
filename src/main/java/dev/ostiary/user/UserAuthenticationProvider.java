package dev.ostiary.user;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.abuse.SourceGuard;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Checks a user's password, for the login form and the password grant alike, with lockout: after
 * {@code lockoutThreshold} failures within the window the name is locked for a while. Failures are
 * counted per name whether or not such a user exists, and every failure, disabled accounts
 * included, looks the same from outside, so nothing tells which names exist.
 */
public class UserAuthenticationProvider implements org.springframework.security.authentication.AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;
    private final FailureCounters counters;
    private final UserProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SourceGuard sources;

    public UserAuthenticationProvider(DaoAuthenticationProvider passwords, FailureCounters counters,
            UserProperties properties, ApplicationEventPublisher events, Clock clock, SourceGuard sources) {
        this.sources = sources;
        this.passwords = passwords;
        this.counters = counters;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = AppUser.normalize(authentication.getName());
        if (username == null || username.isEmpty() || username.length() > 100
                || username.chars().anyMatch(Character::isISOControl)) {
            throw new BadCredentialsException("Invalid username or password");
        }
        String sourceIp = sourceIp(authentication);
        Optional<FailureCounters.Count> failures = counters.current(FailureCounters.Kind.USER, username);
        if (failures.isPresent() && failures.get().locked(clock.instant())) {
            sources.sourceFailed(sourceIp);
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "locked"));
            throw new LockedException("Too many failed attempts");
        }
        UsernamePasswordAuthenticationToken normalized = UsernamePasswordAuthenticationToken.unauthenticated(
                username, authentication.getCredentials());
        normalized.setDetails(authentication.getDetails());
        try {
            Authentication result;
            try {
                result = passwords.authenticate(normalized);
            } catch (org.springframework.security.authentication.InternalAuthenticationServiceException e) {
                // the user store failed (database down): not a wrong password, let it surface as such
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
            if (failures.isPresent()) {
                counters.reset(FailureCounters.Kind.USER, username);
            }
            audit(AuditEventType.LOGIN_SUCCEEDED, username, sourceIp, Map.of());
            return result;
        } catch (BadCredentialsException | AccountStatusException e) {
            sources.sourceFailed(sourceIp);
            FailureCounters.Count count = counters.recordFailure(FailureCounters.Kind.USER, username,
                    properties.lockoutThreshold(), properties.lockoutWindow(), properties.lockoutDuration());
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("failures", count.failures()));
            if (count.locked(clock.instant())) {
                audit(AuditEventType.ACCOUNT_LOCKED, username, sourceIp,
                        Map.of("until", count.lockedUntil().toString()));
            }
            throw new BadCredentialsException("Invalid username or password");
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private void audit(AuditEventType type, String username, String sourceIp, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, sourceIp, details));
    }

    private static String sourceIp(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
