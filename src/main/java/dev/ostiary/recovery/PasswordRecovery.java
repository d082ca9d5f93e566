package dev.ostiary.recovery;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.mail.Mailer;
import dev.ostiary.recovery.AccountLinks.Purpose;
import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

/**
 * "Forgot password": a reset link by mail to the account's verified address, then a new password
 * through that link. Whether an account exists is never told (the request's answer is always the
 * same, {@link MailWork}); mails are limited per account and per client address ({@link MailBudget});
 * the link works once, decided by PostgreSQL ({@link AccountLinks#consume}); and a reset ends what
 * the old password opened: the user's sessions and tokens (user/Deprovisioning via UserManagement).
 */
public class PasswordRecovery {

    /** How a use of the reset link ended. */
    public enum Outcome {
        CHANGED, INVALID, EXPIRED
    }

    private final AccountLinkServices services;

    public PasswordRecovery(AccountLinkServices services) {
        this.services = services;
    }

    /** Answers nothing: the account is looked up and the mail sent after the request has returned. */
    public void requestReset(String identifier, MailContext context) {
        String key = AppUser.normalize(identifier);
        services.work().later(AuditEventType.PASSWORD_RESET_REQUESTED, context, () -> sendResetLink(key, context));
    }

    void sendResetLink(String key, MailContext context) {
        if (!services.budget().take("source:" + context.sourceIp(), services.properties().mailsPerSource())) {
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, null, context, "rate_limited_source");
            return;
        }
        // user names may contain '@': the name first, then the address
        Optional<AppUser> found = services.users().findByUsername(key)
                .or(() -> services.users().findByEmail(AppUser.normalizeEmail(key)));
        if (found.isEmpty()) {
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, null, context, "no_account");
            return;
        }
        AppUser user = found.get();
        if (!user.isEnabled() || user.isLocked()) {
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, user.getUsername(), context, "account_disabled");
            return;
        }
        if (user.getEmail() == null || !user.isEmailVerified()) {
            // an address nobody proved to own may be someone else's: it gets no key to the account
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, user.getUsername(), context, "no_verified_email");
            return;
        }
        if (!services.budget().take("account:" + user.getId(), services.properties().mailsPerAccount())) {
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, user.getUsername(), context, "rate_limited");
            return;
        }
        if (context.linkBase() == null) {
            audit(AuditEventType.PASSWORD_RESET_REQUESTED, user.getUsername(), context, "no_issuer");
            return;
        }
        AccountLinks.Issued issued = services.links().issue(Purpose.PASSWORD_RESET, user.getId(), user.getEmail(),
                services.properties().resetLinkLifetime());
        String link = context.link(RecoveryPages.RESET_PASSWORD, issued.token());
        boolean sent = services.mailer().send(services.mails().compose("reset", user.getEmail(), context.locale(),
                link, user.getUsername(),
                link, AccountMails.minutes(services.properties().resetLinkLifetime())), user.getUsername());
        audit(AuditEventType.PASSWORD_RESET_REQUESTED, user.getUsername(), context, sent ? "sent" : "mail_failed");
    }

    /** Whether the reset link may be shown its form: it exists and has not expired. Changes nothing. */
    public Outcome check(String token) {
        return services.links().peek(token, EnumSet.of(Purpose.PASSWORD_RESET))
                .map(link -> link.expired(services.clock().instant()) ? Outcome.EXPIRED : Outcome.CHANGED)
                .orElse(Outcome.INVALID);
    }

    /**
     * Uses the link and sets the password, in one transaction: the link's row is deleted (only one of
     * concurrent uses gets it) and the password changed, or, when the password breaks the rules, neither.
     *
     * @throws dev.ostiary.problem.InvalidRequestException when the password breaks the rules (the link still works)
     */
    public Outcome reset(String token, String password, MailContext context) {
        Outcome outcome = services.transactions().execute(status -> {
            Optional<AccountLinks.Link> consumed = services.links().consume(token, EnumSet.of(Purpose.PASSWORD_RESET));
            if (consumed.isEmpty()) {
                return Outcome.INVALID;
            }
            AccountLinks.Link link = consumed.get();
            if (link.expired(services.clock().instant())) {
                return Outcome.EXPIRED;
            }
            Optional<AppUser> user = services.users().findById(link.userId());
            // a link sent to an address the account no longer has opens nothing
            if (user.isEmpty() || !link.email().equals(user.get().getEmail())) {
                return Outcome.INVALID;
            }
            String username = user.get().getUsername();
            // the admin API's rules and effects: unlocks the name, revokes sessions and tokens
            services.management().resetPassword(username, password, username);
            services.links().revokeAll(link.userId(), Purpose.PASSWORD_RESET);
            audit(AuditEventType.PASSWORD_RESET, username, context, "changed");
            return Outcome.CHANGED;
        });
        if (outcome != Outcome.CHANGED) {
            audit(AuditEventType.ACCOUNT_LINK_REFUSED, null, context,
                    outcome.name().toLowerCase(java.util.Locale.ROOT));
        }
        return outcome;
    }

    private void audit(AuditEventType type, String username, MailContext context, String outcome) {
        // an operator's request (the console) is theirs: the account is its target, as for the console's other jobs
        Map<String, Object> details = context.operator() == null || username == null ? Map.of("outcome", outcome)
                : Map.of("outcome", outcome, "target", username);
        services.events().publishEvent(new AuditEvent(services.clock().instant(), type, null,
                context.operator() != null ? context.operator() : username, context.sourceIp(), details));
    }
}
