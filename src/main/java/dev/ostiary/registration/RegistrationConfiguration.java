package dev.ostiary.registration;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class RegistrationConfiguration {

    @Bean
    RegistrationTokens registrationTokens(JdbcClient jdbc, Clock clock) {
        return new RegistrationTokens(jdbc, clock);
    }
}
