package dev.ostiary.mail;

import java.time.Clock;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * Sends Ostiary's mails over SMTP with Spring's {@link JavaMailSender} (Spring Boot configures it
 * from {@code spring.mail.host} and friends). Without a host there is no sender: the demo profile
 * then keeps the mail in the {@link DevMailbox} and logs its subject and link, so a person can try
 * recovery without a mail server; any other profile logs that nothing was sent, never the link (it
 * is as good as a password for 30 minutes).
 *
 * <p>A failure never reaches the person who caused the mail: the forms answer the same whether or
 * not a mail went out (else the answer would tell which accounts exist), and an SMTP outage is no
 * reason for a 500. It is audited ({@code mail.failed}) and logged without the link.
 */
public class Mailer {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    private final JavaMailSender sender;
    private final DevMailbox devMailbox;
    private final MailProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    /**
     * @param sender null when no SMTP host is configured
     * @param devMailbox null outside the demo profile
     */
    public Mailer(JavaMailSender sender, DevMailbox devMailbox, MailProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        this.sender = sender;
        this.devMailbox = devMailbox;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /** @return whether the mail was handed to the SMTP server (or, in the demo, to the dev mailbox) */
    public boolean send(OutgoingMail mail, String username) {
        if (sender == null) {
            if (devMailbox != null) {
                devMailbox.keep(clock.instant(), mail);
                log.info("Demo mail (no spring.mail.host) to {}: {} {}", mail.to(), mail.subject(),
                        mail.link() == null ? "" : mail.link());
                return true;
            }
            log.warn("No mail sent ({}): spring.mail.host is not set", mail.kind());
            audit(AuditEventType.MAIL_FAILED, username, Map.of("kind", mail.kind(), "reason", "no_mail_host"));
            return false;
        }
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
            helper.setFrom(new InternetAddress(properties.from(), true));
            // strict parsing: exactly one address, no header injection through the recipient
            helper.setTo(new InternetAddress(mail.to(), true));
            helper.setSubject(mail.subject());
            helper.setText(mail.body(), false);
            message.setHeader("Content-Language", mail.locale().toLanguageTag());
            // RFC 3834: automated, so auto-responders should not answer it
            message.setHeader("Auto-Submitted", "auto-generated");
            sender.send(message);
            audit(AuditEventType.MAIL_SENT, username, Map.of("kind", mail.kind()));
            return true;
        } catch (Exception e) {
            // the exception's text may quote the message; the class is enough to start looking
            log.warn("Mail ({}) could not be sent: {}", mail.kind(), e.getClass().getName());
            audit(AuditEventType.MAIL_FAILED, username, Map.of("kind", mail.kind(), "reason",
                    e.getClass().getSimpleName()));
            return false;
        }
    }

    private void audit(AuditEventType type, String username, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, null, details));
    }
}
