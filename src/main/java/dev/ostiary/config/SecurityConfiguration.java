package dev.ostiary.config;

import static org.springframework.security.config.Customizer.withDefaults;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import dev.ostiary.abuse.SourceGuard;
import dev.ostiary.authorization.PostgresAuthorizationService;
import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.client.ClientAuthenticationCustomizer;
import dev.ostiary.clientmetadata.ClientIdMetadataProperties;
import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.consent.ConsentProviders;
import dev.ostiary.grant.AuthorizationEndpointResponses;
import dev.ostiary.grant.GrantEndpoints;
import dev.ostiary.grant.Grants;
import dev.ostiary.introspection.AuditedRevocationResponses;
import dev.ostiary.introspection.IntrospectionPolicy;
import dev.ostiary.introspection.UniformRevocationAnswers;
import dev.ostiary.logout.LogoutPages;
import dev.ostiary.logout.RpInitiatedLogout;
import dev.ostiary.logout.SessionLogout;
import dev.ostiary.metadata.ServerMetadata;
import dev.ostiary.passkeys.PasskeysSecurity;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.token.AuditedTokenResponses;
import dev.ostiary.token.IssuedTokenAudit;
import dev.ostiary.token.TokenEndpointErrors;
import dev.ostiary.user.Accounts;
import dev.ostiary.user.UserSessions;
import dev.ostiary.web.ClientEndpointsEntryPoint;
import dev.ostiary.web.EndpointMatchers;
import dev.ostiary.web.IssuerProperties;
import dev.ostiary.web.UserInfoOnlyBearerTokens;

/**
 * Security filter chains and the wiring of our pieces into Spring Authorization Server. Where each
 * piece runs on a request, and why there, is {@link RequestPipeline}; what each piece decides is in
 * its feature's package.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String LOGIN_PAGE = "/login";
    public static final String CONSENT_PAGE = "/oauth2/consent";

    @Bean
    @Order(RequestPipeline.AUTHORIZATION_SERVER_CHAIN)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RequestPipeline pipeline,
            ClientSecretHasher secrets, ScopeCatalog scopes, RegisteredClientRepository clients,
            PostgresAuthorizationService authorizations, ApplicationEventPublisher events, SourceGuard sources,
            ClientAssertionDecoders assertionDecoders, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
            EndpointMatchers endpoints, ServiceRoles serviceRoles, UserSessions sessions, Accounts accounts,
            Grants grants, IssuedTokenAudit issuedTokens, RpInitiatedLogout rpInitiatedLogout,
            ClientIdMetadataProperties clientIdMetadata) throws Exception {
        GrantEndpoints grantEndpoints = grants.endpoints(tokenGenerator, CONSENT_PAGE);
        AuthorizationEndpointResponses authorizationResponses = grantEndpoints.authorizationEndpointResponses();

        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                    builder -> builder.claims(claims -> ServerMetadata.advertise(claims, grants))
                            .claims(claims -> ServerMetadata.clientIdMetadataDocuments(claims,
                                    clientIdMetadata.enabled()))));
            server.oidc(oidc -> oidc.providerConfigurationEndpoint(configuration -> configuration
                    .providerConfigurationCustomizer(builder -> builder.claims(
                            claims -> ServerMetadata.advertise(claims, grants))
                            .claims(claims -> ServerMetadata.clientIdMetadataDocuments(claims,
                                    clientIdMetadata.enabled()))))
                    .logoutEndpoint(rpInitiatedLogout::configure));
            server.clientAuthentication(new ClientAuthenticationCustomizer(clients, secrets, assertionDecoders, events,
                    sources));
            server.tokenIntrospectionEndpoint(introspection -> introspection
                    .authenticationProviders(providers -> providers.replaceAll(provider -> new IntrospectionPolicy(
                            provider, new IntrospectionPolicy.Holders(clients, serviceRoles, accounts, scopes)))));
            server.tokenRevocationEndpoint(revocation -> revocation
                    .authenticationProviders(providers -> providers.replaceAll(UniformRevocationAnswers::new))
                    .revocationResponseHandler(new AuditedRevocationResponses(events)));
            grants(server, grantEndpoints, authorizationResponses, issuedTokens,
                    new ConsentProviders(clients, authorizations, grantEndpoints.consentedGrants(), events));
        });
        http.with(pipeline.authorizationServerSteps(authorizationResponses), withDefaults());
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated());
        http.with(new SecondFactorStep(), withDefaults());
        // a session deprovisioning expired gets no code and no implicit token
        http.addFilter(sessions.expiredSessionsRefused());
        http.oauth2ResourceServer(resourceServer -> resourceServer
                .bearerTokenResolver(new UserInfoOnlyBearerTokens(endpoints.userInfo()))
                .jwt(withDefaults()));
        http.headers(SecurityHeaders.strict());
        http.cors(withDefaults());
        http.exceptionHandling(exceptions -> exceptions
                .defaultAuthenticationEntryPointFor(new ClientEndpointsEntryPoint(), endpoints.clientEndpoints())
                // the authorization endpoint is for browsers, whatever they say they accept
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE),
                        PathPatternRequestMatcher.withDefaults().matcher("/oauth2/authorize"))
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE), htmlRequests()));
        return http.build();
    }

    /**
     * The grants, each as its registration says ({@link Grants}): their converters and providers at the
     * token, authorization and pushed authorization request endpoints and their edits of Spring's
     * providers; and how those endpoints answer.
     */
    private static void grants(OAuth2AuthorizationServerConfigurer server, GrantEndpoints grantEndpoints,
            AuthorizationEndpointResponses authorizationResponses, IssuedTokenAudit issuedTokens,
            Consumer<List<AuthenticationProvider>> consentProviders) {
        server.tokenEndpoint(token -> {
            grantEndpoints.applyTo(token);
            token.accessTokenResponseHandler(new AuditedTokenResponses(issuedTokens))
                    .errorResponseHandler(new TokenEndpointErrors(issuedTokens));
        });
        server.pushedAuthorizationRequestEndpoint(grantEndpoints::applyTo);
        grantEndpoints.applyTo(server);
        server.authorizationEndpoint(authorization -> {
            authorization.consentPage(CONSENT_PAGE);
            grantEndpoints.applyTo(authorization, consentProviders);
            authorization.authorizationResponseHandler(authorizationResponses)
                    .errorResponseHandler(authorizationResponses);
        });
    }

    /**
     * Dynamic client registration: a JSON API whose bearer tokens (initial access tokens, registration
     * access tokens) the endpoint checks itself. Stateless, so no session and no CSRF.
     */
    @Bean
    @Order(RequestPipeline.CLIENT_REGISTRATION_CHAIN)
    SecurityFilterChain clientRegistrationChain(HttpSecurity http) throws Exception {
        http.securityMatcher(ServerMetadata.REGISTRATION_PATH, ServerMetadata.REGISTRATION_PATH + "/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(SecurityHeaders.strict());
        return http.build();
    }

    @Bean
    @Order(RequestPipeline.DEFAULT_CHAIN)
    SecurityFilterChain defaultChain(HttpSecurity http, RequestPipeline pipeline, UserSessions sessions,
            SessionLogout sessionLogout, PasskeysSecurity passkeys) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers(ManagementServer.requests()).permitAll()
                .requestMatchers("/actuator/health/**", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
                        LOGIN_PAGE, SecondFactorStep.PAGE).permitAll()
                .requestMatchers(LogoutPages.PUBLIC_PAGES).permitAll()
                .requestMatchers(dev.ostiary.recovery.RecoveryPages.PUBLIC_PAGES).permitAll()
                // the device flow's code entry (RFC 8628 §3.3): it submits to the verification endpoint, which signs in
                .requestMatchers(HttpMethod.GET, "/activate").permitAll()
                .requestMatchers("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke").permitAll()
                .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                .anyRequest().authenticated());
        http.formLogin(login -> login.loginPage(LOGIN_PAGE).permitAll());
        http.with(pipeline.loginSteps(), withDefaults());
        http.with(passkeys.configurer(), withDefaults());
        http.with(new SecondFactorStep(), withDefaults());
        http.sessionManagement(sessions.registered());
        http.cors(withDefaults());
        http.headers(SecurityHeaders.strict());
        http.logout(logout -> logout.addLogoutHandler(sessionLogout).logoutSuccessUrl(LOGIN_PAGE + "?logout"));
        return http.build();
    }

    @Bean
    EndpointMatchers endpointMatchers(AuthorizationServerSettings settings) {
        return EndpointMatchers.of(settings, LOGIN_PAGE);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IssuerProperties issuer) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (issuer.fixed()) {
            settings.issuer(issuer.issuer());
        }
        return settings.build();
    }

    private static MediaTypeRequestMatcher htmlRequests() {
        MediaTypeRequestMatcher matcher = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        matcher.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return matcher;
    }
}
