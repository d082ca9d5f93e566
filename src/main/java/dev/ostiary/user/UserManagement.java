package dev.ostiary.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.scope.AuthorityNames;

/**
 * Creating users, changing their roles and passwords, locking them: for administrators. Every change
 * that takes something away takes effect at once ({@link Deprovisioning}).
 */
public class UserManagement {

    /** A user as the admin API shows it: never the password hash. */
    public record UserView(String username, Set<String> roles, boolean enabled, boolean locked,
            boolean lockedOutForNow, boolean legacyGrantsAllowed, Instant createdAt) {
    }

    /** A new user. */
    public record NewUser(String username, String password, Set<String> roles, Boolean legacyGrantsAllowed) {
    }

    /** A password's length in characters, for every way a password is set (admin API, account page). */
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 200;

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final FailureCounters counters;
    private final ApplicationEventPublisher events;
    private final Deprovisioning deprovisioning;

    public UserManagement(UserRepository users, PasswordEncoder passwords, FailureCounters counters,
            ApplicationEventPublisher events, Deprovisioning deprovisioning) {
        this.users = users;
        this.passwords = passwords;
        this.counters = counters;
        this.events = events;
        this.deprovisioning = deprovisioning;
    }

    @Transactional
    public UserView create(NewUser request, String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        String username = AppUser.normalize(request.username());
        if (username == null || !username.matches("[a-z0-9._@+-]{1,100}")) {
            problems.add(new FieldProblem("username", "1–100 characters: letters, digits and . _ @ + -"));
        } else if (users.findByUsername(username).isPresent()) {
            problems.add(new FieldProblem("username", "is already taken"));
        }
        checkPassword(request.password(), problems);
        Set<String> roles = request.roles() == null ? Set.of("USER") : request.roles();
        checkRoles(roles, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AppUser user = new AppUser(username, passwords.encode(request.password()), roles)
                .setLegacyGrantsAllowed(Boolean.TRUE.equals(request.legacyGrantsAllowed()));
        users.saveAndFlush(user);
        audit(AuditEventType.USER_CREATED, actor, Map.of("target", username, "roles", String.join(" ", roles)));
        return view(user);
    }

    @Transactional(readOnly = true)
    public Page<UserView> list(int page, int size) {
        return users.findAllByOrderByUsernameAsc(PageRequest.of(Math.max(0, page), Math.max(1, Math.min(size, 200))))
                .map(this::view);
    }

    @Transactional(readOnly = true)
    public UserView get(String username) {
        return view(find(username));
    }

    @Transactional
    public UserView setRoles(String username, Set<String> roles, String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        if (roles == null) {
            problems.add(new FieldProblem("roles", "is required (an empty list removes every role)"));
        }
        checkRoles(roles == null ? Set.of() : roles, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AppUser user = find(username);
        boolean changed = !user.getRoles().equals(Set.copyOf(roles));
        user.setRoles(roles);
        users.saveAndFlush(user);
        if (changed) {
            // tokens and sessions carry the roles they were issued with (review H4)
            deprovisioning.rolesChanged(user.getUsername(), user.getRoles());
        }
        audit(AuditEventType.USER_UPDATED, actor, Map.of("target", user.getUsername(), "roles", String.join(" ", roles)));
        return view(user);
    }

    @Transactional
    public UserView setLegacyGrantsAllowed(String username, boolean allowed, String actor) {
        AppUser user = find(username).setLegacyGrantsAllowed(allowed);
        users.saveAndFlush(user);
        audit(AuditEventType.USER_UPDATED, actor, Map.of("target", user.getUsername(), "legacyGrantsAllowed", allowed));
        return view(user);
    }

    /** Disables or re-enables the account; disabling revokes like a lock. */
    @Transactional
    public UserView setEnabled(String username, boolean enabled, String actor) {
        AppUser user = find(username).setEnabled(enabled);
        users.saveAndFlush(user);
        if (!enabled) {
            deprovisioning.revokeTokensAndSessions(user.getUsername());
        }
        audit(AuditEventType.USER_UPDATED, actor, Map.of("target", user.getUsername(), "enabled", enabled));
        return view(user);
    }

    @Transactional
    public UserView lock(String username, boolean locked, String actor) {
        AppUser user = find(username).setLocked(locked);
        users.saveAndFlush(user);
        if (locked) {
            deprovisioning.revokeTokensAndSessions(user.getUsername());
        } else {
            counters.unlock(FailureCounters.Kind.USER, user.getUsername());
        }
        audit(locked ? AuditEventType.USER_LOCKED : AuditEventType.USER_UNLOCKED, actor,
                Map.of("target", user.getUsername()));
        return view(user);
    }

    @Transactional
    public void resetPassword(String username, String password, String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        checkPassword(password, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AppUser user = find(username).setPasswordHash(passwords.encode(password));
        users.saveAndFlush(user);
        counters.unlock(FailureCounters.Kind.USER, user.getUsername());
        // a reset is what an admin does when the old password leaked: what it opened closes
        deprovisioning.revokeTokensAndSessions(user.getUsername());
        audit(AuditEventType.USER_PASSWORD_RESET, actor, Map.of("target", user.getUsername()));
    }

    /**
     * A user sets a new password for themselves (the account page, which proved the current one
     * first): the same rules as {@link #resetPassword}. What else ends is the caller's decision (the
     * account page ends the user's other sessions and revokes their tokens, keeping the one asking).
     *
     * @throws InvalidRequestException when the password breaks a rule
     * @throws NotFoundException when the user no longer exists
     */
    @Transactional
    public void changeOwnPassword(String username, String password) {
        List<FieldProblem> problems = new ArrayList<>();
        checkPassword(password, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AppUser user = find(username).setPasswordHash(passwords.encode(password));
        users.saveAndFlush(user);
        audit(AuditEventType.PASSWORD_CHANGED, user.getUsername(), Map.of("target", user.getUsername()));
    }

    /** Whether {@code password} keeps the rules every password is held to (length, for now). */
    public static boolean acceptable(String password) {
        List<FieldProblem> problems = new ArrayList<>();
        checkPassword(password, problems);
        return problems.isEmpty();
    }

    @Transactional
    public void delete(String username, String actor) {
        AppUser user = find(username);
        users.delete(user);
        users.flush();
        deprovisioning.deleted(user.getUsername(), actor);
        audit(AuditEventType.USER_DELETED, actor, Map.of("target", user.getUsername()));
    }

    private AppUser find(String username) {
        return users.findByUsername(AppUser.normalize(username))
                .orElseThrow(() -> new NotFoundException("user " + username));
    }

    private UserView view(AppUser user) {
        boolean lockedOut = counters.lockedUntil(FailureCounters.Kind.USER, user.getUsername()).isPresent();
        return new UserView(user.getUsername(), user.getRoles(), user.isEnabled(), user.isLocked(), lockedOut,
                user.isLegacyGrantsAllowed(), user.getCreatedAt());
    }

    private static void checkPassword(String password, List<FieldProblem> problems) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            problems.add(new FieldProblem("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters"));
        } else if (password.length() > MAX_PASSWORD_LENGTH) {
            problems.add(new FieldProblem("password", "must be at most " + MAX_PASSWORD_LENGTH + " characters"));
        }
    }

    private static void checkRoles(Set<String> roles, List<FieldProblem> problems) {
        for (String role : roles) {
            if (!AuthorityNames.validRoleName(role)) {
                problems.add(new FieldProblem("roles", "roles are upper case letters, digits and _: " + role));
            }
        }
    }

    private void audit(AuditEventType type, String actor, Map<String, Object> details) {
        events.publishEvent(AuditEvent.of(type, null, actor, details));
    }
}
