package dev.ostiary.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import dev.ostiary.authorization.ActiveAccessTokens;
import dev.ostiary.authorization.AccessTokenAuthorizations;
import dev.ostiary.scope.AuthorityNames;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.stepup.AdminApiSignIn;
import dev.ostiary.user.Accounts;

/**
 * The admin API ({@code /admin/api/**}): a resource server of its own, {@value #AUDIENCE}, for
 * Ostiary's own access tokens, which must carry scope {@value #SCOPE} and role {@code ADMIN} and be
 * meant for this API alone: every {@code aud} must be {@value #AUDIENCE} (RFC 9068 §4), so a token
 * that another API also accepts (and could replay here) is refused. The scope is Ostiary's own, not
 * a resource server's {@code admin} (review M4); the V8 migration puts it in the scope catalog, V10
 * makes the API a resource of the resource catalog. Stateless, no cookies, so no CSRF. A user's token
 * needs a sign-in with a second factor as well ({@link AdminApiSignIn}, RFC 9470).
 */
@Configuration(proxyBeanMethods = false)
class AdminApiSecurity {

    /**
     * The admin API's resource identifier (RFC 8707: an absolute URI), the only audience its tokens may
     * have: one resource of the catalog (V10), the {@code resource} to ask for and the audience of scope
     * {@value #SCOPE}, so a token asked for either way is the same. It was {@code ostiary-admin} (V8).
     */
    static final String AUDIENCE = "urn:ostiary:admin-api";
    /** The scope that grants the admin API (with role ADMIN). */
    static final String SCOPE = "ostiary:admin";

    @Bean
    @Order(RequestPipeline.ADMIN_API_CHAIN)
    SecurityFilterChain adminApiChain(HttpSecurity http, JwtDecoder ownTokens,
            AccessTokenAuthorizations authorizations, Accounts accounts, ServiceRoles serviceRoles,
            RegisteredClientRepository clients, AdminApiSignIn signIn) throws Exception {
        http.securityMatcher(dev.ostiary.web.EndpointMatchers.adminApi())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().access(AuthorizationManagers.allOf(
                        AuthorityAuthorizationManager.hasAuthority(AuthorityNames.SCOPE_PREFIX + SCOPE),
                        AuthorityAuthorizationManager.hasAuthority(AuthorityNames.ROLE_PREFIX + "ADMIN"),
                        signIn.secondFactorForUsers())))
                .oauth2ResourceServer(server -> server.accessDeniedHandler(signIn.accessDenied(
                        AdminApiSecurity::scopeAndRole)).jwt(jwt -> jwt
                        .decoder(new ActiveAccessTokens(ownTokens, onlyForThisApi(), authorizations, accounts,
                                serviceRoles, clients))
                        .jwtAuthenticationConverter(scopesAndRoles())))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(SecurityHeaders.strict());
        return http.build();
    }

    private static boolean scopeAndRole(org.springframework.security.core.Authentication authentication) {
        List<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        return authorities.contains(AuthorityNames.SCOPE_PREFIX + SCOPE)
                && authorities.contains(AuthorityNames.ROLE_PREFIX + "ADMIN");
    }

    /** {@code aud} present and naming this API only. */
    private static OAuth2TokenValidator<Jwt> onlyForThisApi() {
        return new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                aud -> aud != null && !aud.isEmpty() && aud.stream().allMatch(AUDIENCE::equals));
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
                authorities.add(new SimpleGrantedAuthority(AuthorityNames.SCOPE_PREFIX + s));
            }
        }
        List<String> roles = jwt.getClaimAsStringList("roles");
        if (roles != null) {
            roles.forEach(r -> authorities.add(new SimpleGrantedAuthority(AuthorityNames.ROLE_PREFIX + r)));
        }
        return authorities;
    }
}
