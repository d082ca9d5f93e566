package dev.ostiary.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who Ostiary's mails come from ({@code ostiary.mail.*}); the SMTP server itself is Spring Boot's
 * {@code spring.mail.*} (host, port, username, password, properties).
 *
 * @param from the From address of every mail
 * @param devMailboxSize how many mails the demo profile's /dev/mail keeps (the newest)
 */
@ConfigurationProperties("ostiary.mail")
public record MailProperties(@DefaultValue("Ostiary <no-reply@localhost>") String from,
        @DefaultValue("50") int devMailboxSize) {
}
