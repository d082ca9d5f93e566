package dev.ostiary.signup;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.mail.Mailer;
import dev.ostiary.recovery.AccountMails;
import dev.ostiary.recovery.EmailVerification;
import dev.ostiary.recovery.MailBudget;
import dev.ostiary.recovery.MailWork;
import dev.ostiary.recovery.RecoveryProperties;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SignupProperties.class)
class SignupConfiguration {

    @Bean
    Signup signup(UserRepository users, UserManagement management, EmailVerification verification, MailBudget budget,
            AccountMails mails, Mailer mailer, MailWork work, RecoveryProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        return new Signup(users, management, verification, budget, mails, mailer, work, properties, events, clock);
    }

    /** For templates: login.html shows "Create an account" as {@code ${@signupLinks.enabled()}} says. */
    @Bean
    SignupLinks signupLinks(SignupProperties properties) {
        return new SignupLinks(properties.enabled());
    }

    /** Whether the login page offers registration. */
    public record SignupLinks(boolean enabled) {
    }
}
