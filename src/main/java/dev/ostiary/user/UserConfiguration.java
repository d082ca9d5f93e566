package dev.ostiary.user;

import java.time.Clock;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.abuse.SourceGuard;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserProperties.class)
public class UserConfiguration {

    /**
     * User passwords: Argon2id at OWASP's parameters, behind a delegating encoder so hashes can be
     * upgraded later. Client secrets do not use this (see ClientSecretHasher).
     */
    @Bean
    PasswordEncoder userPasswordEncoder(UserProperties properties) {
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, properties.argon2MemoryKib(),
                properties.argon2Iterations());
        return new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2));
    }

    @Bean
    UserManagement userManagement(UserRepository users, PasswordEncoder userPasswordEncoder, FailureCounters counters,
            ApplicationEventPublisher events) {
        return new UserManagement(users, userPasswordEncoder, counters, events);
    }

    /**
     * The one AuthenticationProvider bean: Spring Security's form login uses it, so does the password
     * grant. (Its UserDetailsService is deliberately not a bean, so nothing bypasses the lockout.)
     */
    @Bean
    UserAuthenticationProvider userAuthenticationProvider(UserRepository users, PasswordEncoder userPasswordEncoder, FailureCounters counters, UserProperties properties,
            ApplicationEventPublisher events, Clock clock, SourceGuard sources) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(new JpaUserDetailsService(users));
        passwords.setPasswordEncoder(userPasswordEncoder);
        return new UserAuthenticationProvider(passwords, counters, properties, events, clock, sources);
    }
}
