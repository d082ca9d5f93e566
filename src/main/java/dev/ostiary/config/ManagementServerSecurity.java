package dev.ostiary.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The management port serves actuator and nothing else. Spring Boot mounts the application's
 * security filter chain on the management server too, and Spring Authorization Server's endpoints
 * are filters in that chain, not controllers: without this chain, {@code :9001/oauth2/token} would
 * issue tokens outside whatever protects the public port (the proxy, its TLS, its trusted-proxy
 * address resolution). So every request to the management server meets this chain first, and
 * {@code FilterChainProxy} runs only the first chain that matches.
 */
@Configuration(proxyBeanMethods = false)
class ManagementServerSecurity {

    @Bean
    @Order(RequestPipeline.MANAGEMENT_SERVER_CHAIN)
    SecurityFilterChain managementServerChain(HttpSecurity http) throws Exception {
        http.securityMatcher(ManagementServer.requests())
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .anyRequest().denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .headers(SecurityHeaders.strict());
        return http.build();
    }
}
