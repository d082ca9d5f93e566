package dev.ostiary.signup;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.mail.Mailer;
import dev.ostiary.recovery.AccountMails;
import dev.ostiary.recovery.EmailVerification;
import dev.ostiary.recovery.MailBudget;
import dev.ostiary.recovery.MailContext;
import dev.ostiary.recovery.MailWork;
import dev.ostiary.recovery.RecoveryProperties;
import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

/**
 * Creates accounts for people who register themselves: a USER, disabled until the link mailed to
 * the address comes back (so nobody gets an account in someone else's name or address). The form's
 * answer is the same whether the name or the address is taken; the difference goes to the address,
 * whose owner alone reads it: "someone tried to register with your address" (or, for a registration
 * never finished, a new link), or "that user name is taken".
 */
public class Signup {

    private final UserRepository users;
    private final UserManagement management;
    private final EmailVerification verification;
    private final MailBudget budget;
    private final AccountMails mails;
    private final Mailer mailer;
    private final MailWork work;
    private final RecoveryProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public Signup(UserRepository users, UserManagement management, EmailVerification verification, MailBudget budget,
            AccountMails mails, Mailer mailer, MailWork work, RecoveryProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        this.users = users;
        this.management = management;
        this.verification = verification;
        this.budget = budget;
        this.mails = mails;
        this.mailer = mailer;
        this.work = work;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /** The input already checked (syntax only: nothing that depends on who exists). */
    public void register(String username, String email, String password, MailContext context) {
        work.later(AuditEventType.SIGNUP_REQUESTED, context, () -> create(username, email, password, context));
    }

    void create(String username, String email, String password, MailContext context) {
        if (!budget.take("source:" + context.sourceIp(), properties.mailsPerSource())
                || !budget.take("address:" + email, properties.mailsPerAccount())) {
            audit(username, context, "rate_limited");
            return;
        }
        if (context.linkBase() == null) {
            audit(username, context, "no_issuer");
            return;
        }
        Optional<AppUser> holder = users.findByEmail(email);
        if (holder.isPresent()) {
            AppUser existing = holder.get();
            if (!existing.isEmailVerified() && !existing.isEnabled()) {
                // a registration never finished: its owner gets a fresh link (the old mail may be lost)
                boolean sent = verification.sendRegistrationLink(existing, context);
                audit(existing.getUsername(), context, sent ? "pending_resent" : "mail_failed");
                return;
            }
            String login = context.page("/login");
            boolean sent = mailer.send(mails.compose("registerExisting", email, context.locale(), null,
                    existing.getUsername(), login, context.page("/forgot-password")), existing.getUsername());
            audit(existing.getUsername(), context, sent ? "address_taken_notified" : "mail_failed");
            return;
        }
        Optional<AppUser> created = management.createUnverified(username, email, password);
        if (created.isEmpty()) {
            boolean sent = mailer.send(mails.compose("registerTaken", email, context.locale(), null, username,
                    context.page("/register")), null);
            audit(username, context, sent ? "username_taken_notified" : "mail_failed");
            return;
        }
        boolean sent = verification.sendRegistrationLink(created.get(), context);
        audit(username, context, sent ? "sent" : "mail_failed");
    }

    private void audit(String username, MailContext context, String outcome) {
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.SIGNUP_REQUESTED, null, username,
                context.sourceIp(), Map.of("outcome", outcome)));
    }
}
