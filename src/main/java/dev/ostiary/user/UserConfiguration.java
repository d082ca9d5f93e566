package dev.ostiary.user;

import java.time.Clock;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.abuse.SourceGuard;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserProperties.class)
public class UserConfiguration {

    /**
     * User passwords: Argon2id at OWASP's parameters (Spring's hash format; the system's libargon2
     * or Bouncy Castle, reused memory: see PooledArgon2PasswordEncoder), behind a delegating encoder
     * so the scheme can change later. Client secrets do not use this (see ClientSecretHasher).
     */
    @Bean
    PasswordEncoder userPasswordEncoder(UserProperties properties) {
        int concurrency = properties.argon2Concurrency() > 0 ? properties.argon2Concurrency()
                : Runtime.getRuntime().availableProcessors();
        PasswordEncoder argon2 = new PooledArgon2PasswordEncoder(properties.argon2MemoryKib(),
                properties.argon2Iterations(), concurrency, properties.argon2QueueCapacity(),
                properties.argon2Implementation());
        return new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2));
    }

    @Bean
    UserManagement userManagement(UserRepository users, PasswordEncoder userPasswordEncoder, FailureCounters counters,
            ApplicationEventPublisher events, Deprovisioning deprovisioning) {
        return new UserManagement(users, userPasswordEncoder, counters, events, deprovisioning);
    }

    @Bean
    UserDirectory userDirectory(JdbcClient jdbc) {
        return new UserDirectory(jdbc);
    }

    @Bean
    Accounts accounts(JdbcClient jdbc) {
        return new Accounts(jdbc);
    }

    /**
     * Over the HTTP sessions in PostgreSQL (Spring Session JDBC, V17), so every node sees every
     * session: no event publisher, no notification (Tomcat's own sessions are not used).
     */
    @Bean
    SessionRegistry sessionRegistry(FindByIndexNameSessionRepository<? extends Session> sessions) {
        return UserSessions.registry(sessions);
    }

    @Bean
    UserSessions userSessions(SessionRegistry sessionRegistry) {
        return new UserSessions(sessionRegistry);
    }

    /**
     * The one AuthenticationProvider bean: Spring Security's form login uses it, so does the password
     * grant. (Its UserDetailsService is deliberately not a bean, so nothing bypasses the lockout.)
     */
    @Bean
    UserAuthenticationProvider userAuthenticationProvider(JdbcClient jdbc, PasswordEncoder userPasswordEncoder,
            FailureCounters counters, UserProperties properties, ApplicationEventPublisher events, Clock clock,
            SourceGuard sources) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(new PostgresUserDetailsService(jdbc));
        passwords.setPasswordEncoder(userPasswordEncoder);
        return new UserAuthenticationProvider(passwords, counters, properties, events, clock, sources);
    }
}
