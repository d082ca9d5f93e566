package dev.ostiary.account;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.ostiary.logout.SignOutEverywhere;
import dev.ostiary.user.UserAuthenticationProvider;
import dev.ostiary.user.UserManagement;

@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    @Bean
    SignInDevices signInDevices(Clock clock) {
        return new SignInDevices(clock);
    }

    @Bean
    AccountSessions accountSessions(JdbcClient jdbc, SessionRegistry sessionRegistry,
            FindByIndexNameSessionRepository<? extends Session> sessions) {
        return new AccountSessions(jdbc, sessionRegistry, sessions);
    }

    @Bean
    PasswordChange passwordChange(UserAuthenticationProvider userAuthenticationProvider, UserManagement users,
            SignOutEverywhere signOutEverywhere) {
        return new PasswordChange(userAuthenticationProvider, users, signOutEverywhere);
    }
}
