package dev.ostiary.config;

import static org.springframework.security.config.Customizer.withDefaults;

import java.time.Clock;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.ostiary.client.ClientAuthenticationFailureHandler;
import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.grant.clientcredentials.ClientCredentialsScopes;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.token.AccessTokenClaims;
import dev.ostiary.web.ClientEndpointsEntryPoint;

/** Security filter chains and the wiring of our pieces into Spring Authorization Server. No logic. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, ClientSecretHasher secrets, ScopeCatalog scopes,
            ApplicationEventPublisher events)
            throws Exception {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.oidc(withDefaults());
            server.clientAuthentication(clients -> clients
                    .authenticationProviders(providers -> providers.forEach(p -> {
                        if (p instanceof ClientSecretAuthenticationProvider secretCheck) {
                            secretCheck.setPasswordEncoder(secrets.asPasswordEncoder());
                        }
                    }))
                    .errorResponseHandler(new ClientAuthenticationFailureHandler(events)));
            server.tokenEndpoint(token -> token
                    .accessTokenRequestConverter(ClientCredentialsScopes.converter(scopes))
                    .authenticationProviders(providers -> providers.forEach(p -> {
                        if (p instanceof OAuth2ClientCredentialsAuthenticationProvider clientCredentials) {
                            clientCredentials.setAuthenticationValidator(ClientCredentialsScopes.validator(scopes));
                        }
                    })));
        });
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated());
        http.exceptionHandling(exceptions -> exceptions
                .defaultAuthenticationEntryPointFor(new ClientEndpointsEntryPoint(), clientAuthenticatedEndpoints())
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), htmlRequests()));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain defaultChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers("/actuator/health/**", "/error", "/css/**", "/favicon.ico").permitAll()
                .requestMatchers("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke").permitAll()
                .anyRequest().authenticated());
        http.formLogin(withDefaults());
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(@Value("${ostiary.issuer:}") String issuer) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (!issuer.isBlank()) {
            settings.issuer(issuer);
        }
        return settings.build();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(ScopeCatalog scopes, SigningKeySet keys,
            KeysProperties keysProperties) {
        return new AccessTokenClaims(scopes, keys, keysProperties);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    private static RequestMatcher clientAuthenticatedEndpoints() {
        return new OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher("/oauth2/token"),
                PathPatternRequestMatcher.withDefaults().matcher("/oauth2/introspect"),
                PathPatternRequestMatcher.withDefaults().matcher("/oauth2/revoke"));
    }

    private static MediaTypeRequestMatcher htmlRequests() {
        MediaTypeRequestMatcher matcher = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        matcher.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return matcher;
    }
}
