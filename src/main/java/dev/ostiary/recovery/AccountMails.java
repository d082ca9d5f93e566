package dev.ostiary.recovery;

import java.time.Duration;
import java.util.Locale;

import org.springframework.context.MessageSource;

import dev.ostiary.mail.OutgoingMail;

/**
 * The texts of recovery's mails, from the {@code messages/recovery} bundle in the language of the
 * request that caused them (English and German). Plain text: one link, the user name, how long the
 * link works; nothing else a reader of the mailbox could use.
 */
public class AccountMails {

    private final MessageSource messages;

    public AccountMails(MessageSource messages) {
        this.messages = messages;
    }

    /** {@code recovery.mail.<kind>.subject} and {@code .body}, the body given {@code args}. */
    public OutgoingMail compose(String kind, String to, Locale locale, String link, Object... args) {
        String subject = messages.getMessage("recovery.mail." + kind + ".subject", null, locale);
        String body = messages.getMessage("recovery.mail." + kind + ".body", args, locale)
                + "\n\n-- \n" + messages.getMessage("recovery.mail.signature", null, locale) + "\n";
        return new OutgoingMail(to, locale, kind, subject, body, link);
    }

    /** Whole minutes (the lifetimes are minutes or hours). */
    public static long minutes(Duration lifetime) {
        return Math.max(1, lifetime.toMinutes());
    }
}
