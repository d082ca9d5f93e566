package dev.ostiary.mail;

import java.util.Locale;

/**
 * One mail, already in the recipient's language: a subject and a plain-text body. The body may carry
 * one single-use link and nothing else secret (no password, no session, no code that works twice).
 *
 * @param to the recipient, a checked address (user/UserManagement.validEmail)
 * @param locale the language it was written in
 * @param kind what it is for, for the audit trail and the dev mailbox (e.g. {@code password_reset})
 * @param link the single-use link it carries, or null; the dev mailbox shows it, nothing else logs it
 */
public record OutgoingMail(String to, Locale locale, String kind, String subject, String body, String link) {
}
