package dev.ostiary.config;

import static org.springframework.security.config.Customizer.withDefaults;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.Filter;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.oauth2.server.authorization.web.OAuth2ClientAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.ostiary.abuse.AbuseGuardFilter;
import dev.ostiary.abuse.ClientRateLimitFilter;
import dev.ostiary.abuse.ClientRateLimiter;
import dev.ostiary.abuse.SourceGuard;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.authorization.PostgresAuthorizationService;
import dev.ostiary.client.AssertionClientIdResolution;
import dev.ostiary.client.ClientAssertionDecoders;
import dev.ostiary.client.ClientAuthenticationFailureHandler;
import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.client.MalformedClientAuthentication;
import dev.ostiary.client.PublicClientRefresh;
import dev.ostiary.consent.ConsentAnswers;
import dev.ostiary.consent.ConsentCsrfCheck;
import dev.ostiary.consent.PostgresConsentService;
import dev.ostiary.dpop.DPoPNonces;
import dev.ostiary.dpop.DPoPTokenEndpointFilter;
import dev.ostiary.grant.AuthorizationEndpointResponses;
import dev.ostiary.grant.ConsentedGrant;
import dev.ostiary.grant.GrantEndpoints;
import dev.ostiary.grant.Grants;
import dev.ostiary.grant.password.TokenEndpointErrors;
import dev.ostiary.introspection.AuditedRevocationResponses;
import dev.ostiary.introspection.UniformRevocationAnswers;
import dev.ostiary.introspection.IntrospectionPolicy;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.selfservice.ServiceRoles;
import dev.ostiary.token.AccessTokenClaims;
import dev.ostiary.token.AuditedTokenResponses;
import dev.ostiary.token.IssuedTokenAudit;
import dev.ostiary.token.OstiaryTokenGenerator;
import dev.ostiary.replay.SeenJtis;
import dev.ostiary.user.Accounts;
import dev.ostiary.user.UserSessions;
import dev.ostiary.web.ClientEndpointsEntryPoint;
import dev.ostiary.web.EndpointMatchers;
import dev.ostiary.web.StrictEndpointParameters;

/** Security filter chains and the wiring of our pieces into Spring Authorization Server. No logic. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SecurityConfiguration {

    public static final String LOGIN_PAGE = "/login";
    public static final String CONSENT_PAGE = "/oauth2/consent";
    /** What clients can authenticate with (Spring also lists mTLS methods we do not offer). */
    private static final List<String> SUPPORTED_CLIENT_AUTH = List.of("client_secret_basic", "client_secret_post",
            "client_secret_jwt", "private_key_jwt", "none");

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, ClientSecretHasher secrets, ScopeCatalog scopes,
            RegisteredClientRepository clients, PostgresAuthorizationService authorizations,
            ApplicationEventPublisher events,
            SourceGuard sources, ClientAssertionDecoders assertionDecoders, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
            EndpointMatchers endpoints, ClientRateLimiter rateLimiter, DPoPNonces dpopNonces, SeenJtis seenJtis,
            @Value("${ostiary.dpop.nonce-required:true}") boolean dpopNonceRequired,
            ServiceRoles serviceRoles, UserSessions sessions, Accounts accounts, Grants grants,
            IssuedTokenAudit issuedTokens) throws Exception {
        GrantEndpoints grantEndpoints = grants.endpoints(tokenGenerator, CONSENT_PAGE);
        AuthorizationEndpointResponses authorizationResponses = grantEndpoints.authorizationEndpointResponses();

        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.authorizationServerMetadataEndpoint(metadata -> metadata
                    .authorizationServerMetadataCustomizer(builder -> advertise(builder, grants)));
            server.oidc(oidc -> oidc.providerConfigurationEndpoint(configuration -> configuration
                    .providerConfigurationCustomizer(builder -> advertise(builder, grants))));
            server.clientAuthentication(clientAuthentication -> clientAuthentication
                    .authenticationConverter(PublicClientRefresh.converter())
                    .authenticationProvider(PublicClientRefresh.provider(clients))
                    .authenticationConverters(converters -> converters.replaceAll(converter ->
                            new MalformedClientAuthentication(converter instanceof JwtClientAssertionAuthenticationConverter
                                    ? new AssertionClientIdResolution(converter) : converter)))
                    .authenticationProviders(providers -> providers.forEach(p -> {
                        if (p instanceof ClientSecretAuthenticationProvider secretCheck) {
                            secretCheck.setPasswordEncoder(secrets.asPasswordEncoder());
                        }
                        if (p instanceof JwtClientAssertionAuthenticationProvider assertions) {
                            assertions.setJwtDecoderFactory(assertionDecoders);
                        }
                    }))
                    .errorResponseHandler(new ClientAuthenticationFailureHandler(events, sources)));
            server.tokenEndpoint(token -> {
                grantEndpoints.applyTo(token);
                token.accessTokenResponseHandler(new AuditedTokenResponses(issuedTokens))
                        .errorResponseHandler(new TokenEndpointErrors());
            });
            server.tokenIntrospectionEndpoint(introspection -> introspection
                    .authenticationProviders(providers -> providers.replaceAll(provider -> new IntrospectionPolicy(
                            provider, new IntrospectionPolicy.Holders(clients, serviceRoles, accounts, scopes)))));
            server.tokenRevocationEndpoint(revocation -> revocation
                    .authenticationProviders(providers -> providers.replaceAll(UniformRevocationAnswers::new))
                    .revocationResponseHandler(new AuditedRevocationResponses(events)));
            server.pushedAuthorizationRequestEndpoint(grantEndpoints::applyTo);
            server.authorizationEndpoint(authorization -> {
                authorization.consentPage(CONSENT_PAGE);
                grantEndpoints.applyTo(authorization, consentAnswers(clients, authorizations,
                        grantEndpoints.consentedGrants(), events));
                authorization.authorizationResponseHandler(authorizationResponses)
                        .errorResponseHandler(authorizationResponses);
            });
        });
        // our checks of these endpoints' requests, keyed on the endpoints' own matchers and placed
        // around Spring's client authentication: before it what needs no authenticated client, after
        // it what must be decided for the authenticated client only
        http.with(new AroundClientAuthentication(
                List.of(AbuseGuardFilter.forClientEndpoints(sources, endpoints.clientAuthenticated()),
                        new StrictEndpointParameters(endpoints.clientAuthenticated(), endpoints.authorization(),
                                authorizationResponses)),
                List.of(new ClientRateLimitFilter(rateLimiter, endpoints.token()),
                        new DPoPTokenEndpointFilter(dpopNonces, seenJtis, endpoints.token(), dpopNonceRequired))),
                withDefaults());
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated());
        // a session deprovisioning expired gets no code and no implicit token
        http.sessionManagement(sessions.registered());
        // bearer tokens are the credential of the OpenID userinfo endpoint only; elsewhere a bearer
        // header is not client authentication and gets the endpoint's own error
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        RequestMatcher userInfo = endpoints.userInfo();
        http.oauth2ResourceServer(resourceServer -> resourceServer
                .bearerTokenResolver(request -> userInfo.matches(request) ? bearer.resolve(request) : null)
                .jwt(withDefaults()));
        http.headers(SecurityHeaders.strict());
        http.cors(withDefaults());
        http.addFilterAfter(new ConsentCsrfCheck(endpoints.authorization()), CsrfFilter.class);
        http.exceptionHandling(exceptions -> exceptions
                .defaultAuthenticationEntryPointFor(new ClientEndpointsEntryPoint(), clientAuthenticatedEndpoints())
                // the authorization endpoint is for browsers, whatever they say they accept
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE),
                        PathPatternRequestMatcher.withDefaults().matcher("/oauth2/authorize"))
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE), htmlRequests()));
        return http.build();
    }

    /**
     * Dynamic client registration: a JSON API whose bearer tokens (initial access tokens, registration
     * access tokens) the endpoint checks itself. Stateless, so no session and no CSRF.
     */
    @Bean
    @Order(2)
    SecurityFilterChain clientRegistrationChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/oauth2/register", "/oauth2/register/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(
                        org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(SecurityHeaders.strict());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain defaultChain(HttpSecurity http, SourceGuard sources, EndpointMatchers endpoints,
            UserSessions sessions) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers(ManagementServer.requests()).permitAll()
                .requestMatchers("/actuator/health/**", "/error", "/css/**", "/js/**", "/favicon.ico",
                        LOGIN_PAGE).permitAll()
                .requestMatchers("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke").permitAll()
                .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                .anyRequest().authenticated());
        http.formLogin(login -> login.loginPage(LOGIN_PAGE).permitAll());
        // ahead of the CSRF check too: a locked-out source is refused whatever it sends
        http.addFilterBefore(AbuseGuardFilter.forLogin(sources, endpoints.loginForm()), CsrfFilter.class);
        http.sessionManagement(sessions.registered());
        http.cors(withDefaults());
        http.headers(SecurityHeaders.strict());
        http.logout(logout -> logout.logoutSuccessUrl(LOGIN_PAGE + "?logout"));
        return http.build();
    }

    @Bean
    EndpointMatchers endpointMatchers(AuthorizationServerSettings settings) {
        return EndpointMatchers.of(settings, LOGIN_PAGE);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(@Value("${ostiary.issuer:}") String issuer) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (!issuer.isBlank()) {
            settings.issuer(issuer);
        }
        return settings.build();
    }

    /** Every token Ostiary issues ({@link OstiaryTokenGenerator}: Spring's default claims, then ours). */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder jwtEncoder, ScopeCatalog scopes, SigningKeySet keys,
            KeysProperties keysProperties, Accounts accounts, ServiceRoles serviceRoles, Grants grants) {
        return OstiaryTokenGenerator.create(jwtEncoder,
                new AccessTokenClaims(scopes, keys, keysProperties, accounts, serviceRoles, grants));
    }

    @Bean
    PostgresConsentService consentService(JdbcClient jdbc) {
        return new PostgresConsentService(jdbc);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Spring's consent provider behind our consent answers (denial, other grants' approvals), its consents audited. */
    private static Consumer<List<AuthenticationProvider>> consentAnswers(RegisteredClientRepository clients,
            PostgresAuthorizationService authorizations, List<ConsentedGrant> otherGrants,
            ApplicationEventPublisher events) {
        return providers -> providers.replaceAll(provider -> {
            if (!(provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent)) {
                return provider;
            }
            consent.setAuthorizationConsentCustomizer(context -> {
                StringBuilder approved = new StringBuilder();
                context.getAuthorizationConsent().authorities(authorities -> authorities.stream()
                        .map(GrantedAuthority::getAuthority)
                        .map(a -> a.startsWith("SCOPE_") ? a.substring(6) : a)
                        .forEach(a -> approved.append(approved.isEmpty() ? "" : " ").append(a)));
                if (!approved.isEmpty()) {
                    events.publishEvent(AuditEvent.of(AuditEventType.CONSENT_GRANTED,
                            context.getRegisteredClient().getClientId(),
                            context.getAuthorization().getPrincipalName(), Map.of("scopes", approved.toString())));
                }
            });
            return new ConsentAnswers(consent, otherGrants, authorizations, clients);
        });
    }

    private static void advertise(OAuth2AuthorizationServerMetadata.Builder metadata, Grants grants) {
        metadata.claims(claims -> advertise(claims, grants));
    }

    private static void advertise(OidcProviderConfiguration.Builder configuration, Grants grants) {
        configuration.claims(claims -> advertise(claims, grants));
    }

    /**
     * Both discovery documents: the registration endpoint, our client authentication methods, the
     * grants Ostiary adds to Spring's ({@link Grants#advertise}) and {@code iss} in authorization
     * responses (RFC 9207 §3).
     */
    private static void advertise(Map<String, Object> claims, Grants grants) {
        claims.put("registration_endpoint", claims.get("issuer") + "/oauth2/register");
        claims.put("token_endpoint_auth_methods_supported", SUPPORTED_CLIENT_AUTH);
        grants.advertise(claims);
        claims.put("authorization_response_iss_parameter_supported", true);
    }

    /**
     * Adds filters next to Spring Authorization Server's {@link OAuth2ClientAuthenticationFilter},
     * which has a position in the chain only once the authorization server's configurer has run: a
     * configurer applied after it runs after it.
     */
    private static final class AroundClientAuthentication
            extends AbstractHttpConfigurer<AroundClientAuthentication, HttpSecurity> {

        private final List<Filter> before;
        private final List<Filter> after;

        AroundClientAuthentication(List<Filter> before, List<Filter> after) {
            this.before = before;
            this.after = after;
        }

        @Override
        public void configure(HttpSecurity http) {
            // filters at one position keep the order they were added in
            before.forEach(filter -> http.addFilterBefore(filter, OAuth2ClientAuthenticationFilter.class));
            after.forEach(filter -> http.addFilterAfter(filter, OAuth2ClientAuthenticationFilter.class));
        }
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
