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
            boolean lockedOutForNow, boolean legacyGrantsAllowed, Instant createdAt, String email,
            boolean emailVerified) {
    }

    /**
     * A new user.
     *
     * @param email optional address (stored lower-case); unverified unless {@code emailVerified}
     */
    public record NewUser(String username, String password, Set<String> roles, Boolean legacyGrantsAllowed,
            String email, Boolean emailVerified) {

        public NewUser(String username, String password, Set<String> roles, Boolean legacyGrantsAllowed) {
            this(username, password, roles, legacyGrantsAllowed, null, null);
        }
    }

    /** The password rules every way of setting one shares (admin API, reset link, registration). */
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
        if (!validUsername(username)) {
            problems.add(new FieldProblem("username", "1–100 characters: letters, digits and . _ @ + -"));
        } else if (users.findByUsername(username).isPresent()) {
            problems.add(new FieldProblem("username", "is already taken"));
        }
        checkPassword(request.password(), problems);
        String email = AppUser.normalizeEmail(request.email());
        if (email != null && !validEmail(email)) {
            problems.add(new FieldProblem("email", "is not an e-mail address"));
        } else if (email != null && users.findByEmail(email).isPresent()) {
            problems.add(new FieldProblem("email", "is already used by another account"));
        }
        Set<String> roles = request.roles() == null ? Set.of("USER") : request.roles();
        checkRoles(roles, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AppUser user = new AppUser(username, passwords.encode(request.password()), roles)
                .setLegacyGrantsAllowed(Boolean.TRUE.equals(request.legacyGrantsAllowed()))
                .setEmail(email, Boolean.TRUE.equals(request.emailVerified()));
        users.saveAndFlush(user);
        audit(AuditEventType.USER_CREATED, actor, Map.of("target", username, "roles", String.join(" ", roles)));
        return view(user);
    }

    /**
     * Self-registration: a USER whose account stays disabled until the link sent to {@code email}
     * comes back (dev.ostiary.signup). Input is checked by the caller with the same rules.
     *
     * @return the new user, or empty when the name or the address is taken (also when a concurrent
     *         registration took it first: the unique indexes decide)
     */
    @Transactional
    public java.util.Optional<AppUser> createUnverified(String username, String email, String password) {
        String name = AppUser.normalize(username);
        String address = AppUser.normalizeEmail(email);
        if (users.findByUsername(name).isPresent() || users.findByEmail(address).isPresent()) {
            return java.util.Optional.empty();
        }
        AppUser user = new AppUser(name, passwords.encode(password), Set.of("USER")).setEnabled(false)
                .setEmail(address, false);
        // one statement: two registrations of one name or address at once cannot both insert
        int inserted = users.insertIfAbsent(user.getId(), user.getUsername(), user.getPasswordHash(), address);
        if (inserted == 0) {
            return java.util.Optional.empty();
        }
        users.addRole(user.getId(), "USER");
        audit(AuditEventType.USER_CREATED, name, Map.of("target", name, "roles", "USER", "via", "registration"));
        return users.findByUsername(name);
    }

    /**
     * A registration's link came back: the account may sign in from now on. Only a pending account
     * (its address unverified, the same address the link was sent to) is enabled.
     *
     * @return the user name, or empty when there is no such pending account
     */
    @Transactional
    public java.util.Optional<String> completeRegistration(java.util.UUID id, String email) {
        return users.findById(id)
                .filter(user -> !user.isEmailVerified() && email.equals(user.getEmail()))
                .map(user -> {
                    user.setEnabled(true).setEmail(email, true);
                    users.saveAndFlush(user);
                    audit(AuditEventType.USER_UPDATED, user.getUsername(), Map.of("target", user.getUsername(),
                            "enabled", true, "emailVerified", true));
                    return user.getUsername();
                });
    }

    /**
     * A verification link came back: {@code email} becomes the user's verified address.
     *
     * @return the user name, or empty when the user is gone
     * @throws InvalidRequestException when another account has the address by now
     */
    @Transactional
    public java.util.Optional<String> verifyEmail(java.util.UUID id, String email) {
        java.util.Optional<AppUser> found = users.findById(id);
        if (found.isEmpty()) {
            return java.util.Optional.empty();
        }
        AppUser user = found.get();
        if (users.findByEmail(email).filter(other -> !other.getId().equals(id)).isPresent()) {
            throw new InvalidRequestException(List.of(new FieldProblem("email", "is already used by another account")));
        }
        user.setEmail(email, true);
        users.saveAndFlush(user);
        audit(AuditEventType.USER_UPDATED, user.getUsername(), Map.of("target", user.getUsername(),
                "email", "changed", "emailVerified", true));
        return java.util.Optional.of(user.getUsername());
    }

    /** The admin API's address change: unverified unless the administrator says otherwise. */
    @Transactional
    public UserView setEmail(String username, String email, boolean verified, String actor) {
        String address = AppUser.normalizeEmail(email);
        AppUser user = find(username);
        if (address != null && !validEmail(address)) {
            throw new InvalidRequestException(List.of(new FieldProblem("email", "is not an e-mail address")));
        }
        if (address != null && users.findByEmail(address).filter(other -> !other.getId().equals(user.getId()))
                .isPresent()) {
            throw new InvalidRequestException(List.of(new FieldProblem("email", "is already used by another account")));
        }
        user.setEmail(address, verified);
        users.saveAndFlush(user);
        audit(AuditEventType.USER_UPDATED, actor, Map.of("target", user.getUsername(), "email",
                address == null ? "removed" : "changed", "emailVerified", user.isEmailVerified()));
        return view(user);
    }

    /** User names: what {@link #create} accepts, lower-case. */
    public static boolean validUsername(String normalized) {
        return normalized != null && normalized.matches("[a-z0-9._@+-]{1,100}");
    }

    /**
     * An address we can send to: one {@code @}, a dot in the domain, no spaces or controls, at most
     * 254 characters (RFC 5321 §4.5.3.1.3). Deliverability is what the verification link proves.
     */
    public static boolean validEmail(String normalized) {
        return normalized != null && normalized.length() <= 254
                && normalized.matches("[^@\\s\\p{Cntrl},;:<>()\\[\\]\"\\\\]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z0-9-]{2,}");
    }

    /** Whether {@code password} keeps the rules (length); the message keys' reason otherwise. */
    public static boolean validPassword(String password) {
        return password != null && password.length() >= MIN_PASSWORD_LENGTH && password.length() <= MAX_PASSWORD_LENGTH;
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
        if (users.deleteByIdAtomically(user.getId()) == 0) {
            // a concurrent delete won: nothing is left to take away
            throw new NotFoundException("user " + username);
        }
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
                user.isLegacyGrantsAllowed(), user.getCreatedAt(), user.getEmail(), user.isEmailVerified());
    }

    private static void checkPassword(String password, List<FieldProblem> problems) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            problems.add(new FieldProblem("password", "must be at least 8 characters"));
        } else if (password.length() > MAX_PASSWORD_LENGTH) {
            problems.add(new FieldProblem("password", "must be at most 200 characters"));
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
