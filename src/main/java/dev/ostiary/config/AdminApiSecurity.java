package dev.ostiary.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.ostiary.authorization.ActiveAccessTokens;
import dev.ostiary.authorization.PostgresAuthorizationService;

/**
 * The admin API ({@code /admin/api/**}): a resource server for Ostiary's own access tokens, which
 * must carry scope {@code admin} and role {@code ADMIN}. Stateless, no cookies, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
class AdminApiSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain adminApiChain(HttpSecurity http, JwtDecoder ownTokens,
            PostgresAuthorizationService authorizations) throws Exception {
        http.securityMatcher("/admin/api/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().access(AuthorizationManagers.allOf(
                        AuthorityAuthorizationManager.hasAuthority("SCOPE_admin"),
                        AuthorityAuthorizationManager.hasAuthority("ROLE_ADMIN"))))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt
                        .decoder(new ActiveAccessTokens(ownTokens, authorizations))
                        .jwtAuthenticationConverter(scopesAndRoles())))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(SecurityHeaders.strict());
        return http.build();
    }

    /** {@code scope} becomes SCOPE_x authorities, {@code roles} ROLE_x. */
    private static JwtAuthenticationConverter scopesAndRoles() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(AdminApiSecurity::authorities);
        return converter;
    }

    private static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        String scope = jwt.getClaimAsString("scope");
        if (scope != null) {
            for (String s : scope.split(" ")) {
                authorities.add(new SimpleGrantedAuthority("SCOPE_" + s));
            }
        }
        List<String> roles = jwt.getClaimAsStringList("roles");
        if (roles != null) {
            roles.forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
        }
        return authorities;
    }
}
