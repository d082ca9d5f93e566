package dev.ostiary.user;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
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
 *
 * <p>The attempt is counted before the password is checked, never after (issue 13, H2): one
 * conditional upsert takes one of the name's attempts (and one of the source address's), and when
 * none is left the password is not even hashed. So a burst of concurrent guesses gets at most
 * {@code lockoutThreshold} wrong passwords checked per window, and a correct password after the
 * burst (or inside it, once no place is left) is refused while the name is locked (see
 * {@link FailureCounters#tryAttempt}). A success gives its place back but forgets no failure of
 * the window.
 *
 * <p>Every attempt that gets a slot costs one Argon2 hash, whatever the account's state: a
 * disabled or administrator-locked account is refused only after its password was checked, so it
 * answers as slowly as a wrong password (issue 13, L5).
 */
public class UserAuthenticationProvider implements org.springframework.security.authentication.AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;
    private final FailureCounters counters;
    private final UserProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SourceGuard sources;
    private final LocalCheckPlaces localPlaces = new LocalCheckPlaces();

    public UserAuthenticationProvider(DaoAuthenticationProvider passwords, FailureCounters counters,
            UserProperties properties, ApplicationEventPublisher events, Clock clock, SourceGuard sources) {
        this.sources = sources;
        this.passwords = passwords;
        this.counters = counters;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        // Spring checks locked and disabled before the password (then no hash is computed, and such an
        // account answers ~25 ms sooner: an oracle); checked after it, every known name costs a hash
        passwords.setPreAuthenticationChecks(user -> { });
        passwords.setPostAuthenticationChecks(new AccountStatusUserDetailsChecker());
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = AppUser.normalize(authentication.getName());
        if (username == null || username.isEmpty() || username.length() > 100
                || username.chars().anyMatch(Character::isISOControl)) {
            throw new BadCredentialsException("Invalid username or password");
        }
        String sourceIp = sourceIp(authentication);
        FailureCounters.Limit limit = new FailureCounters.Limit(properties.lockoutThreshold(),
                properties.lockoutWindow(), properties.lockoutDuration());
        // first in line among this node's logins of the name, before any place in the database is
        // taken: a login waiting here holds none of the source address's places either
        LocalCheckPlaces.Place place = localPlaces.enter(username, limit.threshold(), BUSY_PATIENCE);
        if (place == null) {
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "busy"));
            throw new PooledArgon2PasswordEncoder.PasswordChecksBusyException();
        }
        try (place) {
            return authenticateInPlace(authentication, username, sourceIp, limit);
        }
    }

    private Authentication authenticateInPlace(Authentication authentication, String username, String sourceIp,
            FailureCounters.Limit limit) {
        if (!sources.tryPasswordAttempt(sourceIp)) {
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "source_locked"));
            throw new LockedException("Too many failed attempts");
        }
        switch (takeAttempt(username, limit)) {
            case LOCKED -> {
                sources.passwordAttemptEnded(sourceIp, true);
                audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "locked"));
                throw new LockedException("Too many failed attempts");
            }
            case BUSY -> {
                // every place is held by a check still running, none of them failed yet: not a guess
                // refused, a burst of logins of one account; "try later", like a full Argon2 line
                sources.passwordAttemptEnded(sourceIp, false);
                audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "busy"));
                throw new PooledArgon2PasswordEncoder.PasswordChecksBusyException();
            }
            case TAKEN -> { }
        }
        UsernamePasswordAuthenticationToken normalized = UsernamePasswordAuthenticationToken.unauthenticated(
                username, authentication.getCredentials());
        normalized.setDetails(authentication.getDetails());
        Authentication result;
        try {
            result = passwords.authenticate(normalized);
        } catch (PooledArgon2PasswordEncoder.PasswordChecksBusyException e) {
            // not checked at all: the attempt counts as nothing, and the caller is told to try later
            sources.passwordAttemptEnded(sourceIp, false);
            counters.attemptReleased(FailureCounters.Kind.USER, username);
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("reason", "busy"));
            throw e;
        } catch (BadCredentialsException | AccountStatusException e) {
            sources.passwordAttemptEnded(sourceIp, true);
            FailureCounters.Count count = counters.attemptFailed(FailureCounters.Kind.USER, username, limit);
            audit(AuditEventType.LOGIN_FAILED, username, sourceIp, Map.of("failures", count.failures()));
            if (count.locked(clock.instant())) {
                audit(AuditEventType.ACCOUNT_LOCKED, username, sourceIp,
                        Map.of("until", count.lockedUntil().toString()));
            }
            throw new BadCredentialsException("Invalid username or password");
        } catch (RuntimeException e) {
            // not a wrong password (the user store failed, database down): the attempt counts as nothing.
            // With the database gone, giving the place back would only wait for the pool's timeout a
            // second time; the place is freed by FailureCounters.IN_FLIGHT_TIMEOUT instead.
            if (!databaseFailure(e)) {
                sources.passwordAttemptEnded(sourceIp, false);
                counters.attemptReleased(FailureCounters.Kind.USER, username);
            }
            if (e instanceof InternalAuthenticationServiceException && e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        sources.passwordAttemptEnded(sourceIp, false);
        counters.attemptSucceeded(FailureCounters.Kind.USER, username);
        audit(AuditEventType.LOGIN_SUCCEEDED, username, sourceIp, Map.of());
        return result;
    }

    /** What {@link #takeAttempt} got. */
    enum Attempt { TAKEN, LOCKED, BUSY }

    /**
     * Takes one of the name's attempts (FailureCounters#tryAttempt), once this node's queue for the
     * name ({@link LocalCheckPlaces}) has let the login through, so on one node a refusal is rare: it
     * means the name is locked, or that failures plus the checks still running (here or on other nodes)
     * have reached the threshold. When the name is not locked, the running checks hold the places: each
     * gives its place back within one hash if its password was right (a client that sends 16 password
     * grants of one service account at once), or turns it into a failure, which locks the name at the threshold. So a refused attempt waits for a
     * place, briefly and with growing pauses, until it gets one, the name is locked, or about
     * {@link #BUSY_PATIENCE} has passed. The bound is unchanged: no more than {@code threshold} unchecked
     * passwords are ever being checked or counted as failed at once, decided by the same conditional upsert.
     * Before this, such a burst was answered "locked" and counted against the source address as failed
     * logins, so correct passwords sent in parallel locked their own address (docs/performance.md).
     */
    private Attempt takeAttempt(String username, FailureCounters.Limit limit) {
        long deadline = System.nanoTime() + BUSY_PATIENCE.toNanos();
        long pauseMillis = 2;
        while (true) {
            if (counters.tryAttempt(FailureCounters.Kind.USER, username, limit).isPresent()) {
                return Attempt.TAKEN;
            }
            if (counters.lockedUntil(FailureCounters.Kind.USER, username).isPresent()) {
                return Attempt.LOCKED;
            }
            if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                return Attempt.BUSY;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Attempt.BUSY;
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /**
     * How long a login waits for a place held by other checks of the same name (a few hashes' time),
     * in this node's queue and then again, for places held on other nodes, in the database.
     */
    static final Duration BUSY_PATIENCE = Duration.ofSeconds(2);

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private void audit(AuditEventType type, String username, String sourceIp, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, sourceIp, details));
    }

    private static boolean databaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.dao.DataAccessException || t instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    private static String sourceIp(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
