package dev.ostiary.recovery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.mail.Mailer;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecoveryProperties.class)
class RecoveryConfiguration {

    @Bean
    AccountLinks accountLinks(JdbcClient jdbc, Clock clock) {
        return new AccountLinks(jdbc, clock);
    }

    @Bean
    MailBudget mailBudget(JdbcClient jdbc, Clock clock, RecoveryProperties properties) {
        return new MailBudget(jdbc, clock, properties.mailWindow());
    }

    @Bean
    AccountMails accountMails(MessageSource messageSource) {
        return new AccountMails(messageSource);
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor recoveryMailWorkers(RecoveryProperties properties) {
        int workers = Math.max(1, properties.mailWorkers());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, properties.mailQueue())),
                new org.springframework.scheduling.concurrent.CustomizableThreadFactory("recovery-mail-"), new ThreadPoolExecutor.AbortPolicy());
        return executor;
    }

    @Bean
    MailWork mailWork(ThreadPoolExecutor recoveryMailWorkers, ApplicationEventPublisher events) {
        return new MailWork(recoveryMailWorkers, events);
    }

    @Bean
    AccountLinkServices accountLinkServices(UserRepository users, UserManagement management, AccountLinks links,
            MailBudget budget, AccountMails mails, Mailer mailer, MailWork work, RecoveryProperties properties,
            TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        return new AccountLinkServices(users, management, links, budget, mails, mailer, work, properties,
                transactions, events, clock);
    }

    @Bean
    PasswordRecovery passwordRecovery(AccountLinkServices services) {
        return new PasswordRecovery(services);
    }

    @Bean
    EmailVerification emailVerification(AccountLinkServices services) {
        return new EmailVerification(services);
    }

    /** Expired links and finished mail windows go every five minutes (any node: the deletes are idempotent). */
    @Bean
    SchedulingConfigurer accountLinkPurge(AccountLinks links, MailBudget budget) {
        return registrar -> registrar.addFixedDelayTask(() -> {
            links.purge();
            budget.purge();
        }, Duration.ofMinutes(5));
    }
}
