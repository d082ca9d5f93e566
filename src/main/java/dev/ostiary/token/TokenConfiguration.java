package dev.ostiary.token;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.grant.Grants;

@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    @Bean
    IssuedTokenAudit issuedTokenAudit(ApplicationEventPublisher events, Grants grants, Clock clock) {
        return new IssuedTokenAudit(events, grants, clock);
    }
}
