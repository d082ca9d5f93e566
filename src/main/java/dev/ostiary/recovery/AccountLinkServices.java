package dev.ostiary.recovery;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.mail.Mailer;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

/**
 * What both kinds of account link need, the reset link ({@link PasswordRecovery}) and the address
 * verification ({@link EmailVerification}): the users, the single-use links, the mail budget, the
 * mails and the worker that sends them after the answer, one transaction, the audit, the clock.
 */
public record AccountLinkServices(UserRepository users, UserManagement management, AccountLinks links,
        MailBudget budget, AccountMails mails, Mailer mailer, MailWork work, RecoveryProperties properties,
        TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
}
