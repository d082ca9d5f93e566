package dev.ostiary.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

import dev.ostiary.console.ConsoleAccess;
import dev.ostiary.console.ConsoleChain;
import dev.ostiary.console.ConsoleProperties;
import dev.ostiary.logout.SessionLogout;
import dev.ostiary.user.UserSessions;
import dev.ostiary.web.EndpointMatchers;

/**
 * The operator console ({@code /admin/**} but the API; docs/console.md): a browser chain of its own,
 * between the admin API's and the default one. Sessions, CSRF (the session's token, the same as the
 * other pages') and the request cache are the default chain's, so the login and second-factor pages
 * there continue to the console page that sent the browser to them. What is its own: who may enter
 * ({@link ConsoleAccess}, on every request), how a refusal is answered, and the idle timeout.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    @Bean
    @Order(RequestPipeline.CONSOLE_CHAIN)
    SecurityFilterChain consoleChain(HttpSecurity http, ConsoleAccess access, ConsoleProperties properties,
            UserSessions sessions, SessionLogout logout, Clock clock) throws Exception {
        http.securityMatcher(EndpointMatchers.console())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().access(access))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(SecurityConfiguration.LOGIN_PAGE))
                        .accessDeniedHandler(ConsoleChain.deniedHandler()))
                .addFilterBefore(ConsoleChain.controlCharactersRefused(), AuthorizationFilter.class)
                .addFilterBefore(ConsoleChain.idleTimeout(properties, clock, logout), AuthorizationFilter.class)
                .sessionManagement(sessions.registered())
                .headers(SecurityHeaders.strict());
        return http.build();
    }
}
