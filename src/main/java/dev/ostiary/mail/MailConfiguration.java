package dev.ostiary.mail;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
class MailConfiguration {

    /** Spring Boot's sender exists only when {@code spring.mail.host} (or a JNDI session) is set. */
    @Bean
    Mailer mailer(ObjectProvider<JavaMailSender> sender, ObjectProvider<DevMailbox> devMailbox,
            MailProperties properties, ApplicationEventPublisher events, Clock clock) {
        return new Mailer(sender.getIfAvailable(), devMailbox.getIfAvailable(), properties, events, clock);
    }

    @Bean
    @Profile("demo")
    DevMailbox devMailbox(MailProperties properties) {
        return new DevMailbox(properties.devMailboxSize());
    }
}
