package dev.ostiary.recovery;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.mail.Mailer;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.recovery.AccountLinks.Purpose;
import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

/**
 * Proving an address: the links of a registration (the account is enabled when it comes back) and
 * of an address change on the profile page (the new address replaces the old only then). Same
 * mechanism as the reset link: single use in PostgreSQL, a GET only shows a button.
 */
public class EmailVerification {

    /** How a use of a verification link ended. */
    public enum Outcome {
        REGISTERED, EMAIL_CHANGED, INVALID, EXPIRED, ADDRESS_TAKEN
    }

    static final EnumSet<Purpose> PURPOSES = EnumSet.of(Purpose.REGISTRATION, Purpose.EMAIL_CHANGE);

    private final AccountLinkServices services;

    public EmailVerification(AccountLinkServices services) {
        this.services = services;
    }

    /** Whether the link may be shown its button (it exists, has not expired); changes nothing. */
    public Optional<AccountLinks.Link> check(String token) {
        return services.links().peek(token, PURPOSES).filter(link -> !link.expired(services.clock().instant()));
    }

    public boolean expired(String token) {
        return services.links().peek(token,
                PURPOSES).filter(link -> link.expired(services.clock().instant())).isPresent();
    }

    /** Uses the link: one of concurrent uses gets it ({@link AccountLinks#consume}). */
    public Outcome verify(String token, MailContext context) {
        Outcome outcome;
        try {
            outcome = services.transactions().execute(status -> {
                Optional<AccountLinks.Link> consumed = services.links().consume(token, PURPOSES);
                if (consumed.isEmpty()) {
                    return Outcome.INVALID;
                }
                AccountLinks.Link link = consumed.get();
                if (link.expired(services.clock().instant())) {
                    return Outcome.EXPIRED;
                }
                if (link.purpose() == Purpose.REGISTRATION) {
                    return services.management().completeRegistration(link.userId(), link.email())
                            .map(name -> audited(AuditEventType.SIGNUP_VERIFIED, name, context, Outcome.REGISTERED))
                            .orElse(Outcome.INVALID);
                }
                Optional<String> name = services.management().verifyEmail(link.userId(), link.email());
                // reset links went to the old address: they stop working with it
                name.ifPresent(n -> services.links().revokeAll(link.userId(), Purpose.PASSWORD_RESET));
                return name.map(n -> audited(AuditEventType.EMAIL_VERIFIED, n, context, Outcome.EMAIL_CHANGED))
                        .orElse(Outcome.INVALID);
            });
        } catch (InvalidRequestException | DataIntegrityViolationException e) {
            // another account verified the address first (the unique index decides a race)
            outcome = Outcome.ADDRESS_TAKEN;
        }
        if (outcome == Outcome.INVALID || outcome == Outcome.EXPIRED || outcome == Outcome.ADDRESS_TAKEN) {
            audited(AuditEventType.ACCOUNT_LINK_REFUSED, null, context, outcome);
        }
        return outcome;
    }

    /**
     * The profile page's address change (the password already checked): a link to the NEW address;
     * the account keeps its old one until the link comes back. An address another account has gets
     * no mail, and the page says the same (signed-in users can't probe addresses either).
     */
    public void requestChange(String username, String newEmail, MailContext context) {
        services.work().later(AuditEventType.EMAIL_CHANGE_REQUESTED, context, () -> sendVerification(username,
                newEmail, context));
    }

    void sendVerification(String username, String email, MailContext context) {
        Optional<AppUser> found = services.users().findByUsername(username);
        if (found.isEmpty()) {
            return;
        }
        AppUser user = found.get();
        if (services.users().findByEmail(email).filter(other -> !other.getId().equals(user.getId())).isPresent()) {
            audit(AuditEventType.EMAIL_CHANGE_REQUESTED, username, context, "address_taken");
            return;
        }
        if (!services.budget().take("account:" + user.getId(), services.properties().mailsPerAccount())
                || !services.budget().take("address:" + email, services.properties().mailsPerAccount())) {
            audit(AuditEventType.EMAIL_CHANGE_REQUESTED, username, context, "rate_limited");
            return;
        }
        if (context.linkBase() == null) {
            audit(AuditEventType.EMAIL_CHANGE_REQUESTED, username, context, "no_issuer");
            return;
        }
        AccountLinks.Issued issued = services.links().issue(Purpose.EMAIL_CHANGE, user.getId(), email,
                services.properties().verificationLinkLifetime());
        String link = context.link(RecoveryPages.VERIFY_EMAIL, issued.token());
        boolean sent = services.mailer().send(services.mails().compose("verify", email, context.locale(), link,
                username, link,
                Math.max(1, services.properties().verificationLinkLifetime().toHours())), username);
        audit(AuditEventType.EMAIL_CHANGE_REQUESTED, username, context, sent ? "sent" : "mail_failed");
    }

    /** A registration's link (dev.ostiary.signup), sent from its worker. */
    public boolean sendRegistrationLink(AppUser user, MailContext context) {
        if (context.linkBase() == null) {
            return false;
        }
        AccountLinks.Issued issued = services.links().issue(Purpose.REGISTRATION, user.getId(), user.getEmail(),
                services.properties().verificationLinkLifetime());
        String link = context.link(RecoveryPages.VERIFY_EMAIL, issued.token());
        return services.mailer().send(services.mails().compose("register", user.getEmail(), context.locale(), link,
                user.getUsername(),
                link, Math.max(1, services.properties().verificationLinkLifetime().toHours())), user.getUsername());
    }

    private Outcome audited(AuditEventType type, String username, MailContext context, Outcome outcome) {
        audit(type, username, context, outcome.name().toLowerCase(Locale.ROOT));
        return outcome;
    }

    private void audit(AuditEventType type, String username, MailContext context, String outcome) {
        services.events().publishEvent(new AuditEvent(services.clock().instant(), type, null, username,
                context.sourceIp(),
                Map.of("outcome", outcome)));
    }
}
