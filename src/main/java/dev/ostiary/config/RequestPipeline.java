package dev.ostiary.config;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.OAuth2ClientAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.cors.CorsConfigurationSource;

import dev.ostiary.abuse.AbuseGuardFilter;
import dev.ostiary.abuse.ClientRateLimitFilter;
import dev.ostiary.abuse.ClientRateLimiter;
import dev.ostiary.abuse.SourceGuard;
import dev.ostiary.consent.ConsentCsrfCheck;
import dev.ostiary.dpop.DPoPNonces;
import dev.ostiary.dpop.DPoPProperties;
import dev.ostiary.dpop.DPoPTokenEndpointFilter;
import dev.ostiary.gateway.GatewayCallers;
import dev.ostiary.gateway.GatewayCheck;
import dev.ostiary.gateway.GatewayCheckFilter;
import dev.ostiary.gateway.GatewayMetrics;
import dev.ostiary.gateway.GatewayProperties;
import dev.ostiary.keys.JwksEndpointFilter;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.replay.SeenJtis;
import dev.ostiary.web.DatabaseUnavailableFilter;
import dev.ostiary.web.EndpointMatchers;
import dev.ostiary.web.RequestBodyLimitFilter;
import dev.ostiary.web.RequestLimitsProperties;
import dev.ostiary.web.StrictEndpointParameters;

/**
 * The path of a request through Ostiary, in order, and the one place that puts Ostiary's filters
 * on it, relative to Spring Security's own (like node-oidc-provider's {@code lib/actions/token.js}).
 *
 * <p>{@code POST /oauth2/token} (introspection, revocation, PAR and device authorization meet steps 1 to
 * 6 too, device authorization also 7, then their own endpoint filter):
 * <ol>
 * <li>{@link RequestBodyLimitFilter}, servlet filter {@link #BODY_LIMIT_FILTER}: caps the body.</li>
 * <li>{@link DatabaseUnavailableFilter}, servlet filter {@link #DATABASE_UNAVAILABLE_FILTER}: a lost
 * database is a 503, not a 500.</li>
 * <li>Spring Security's {@code FilterChainProxy} picks the first matching chain
 * ({@link #AUTHORIZATION_SERVER_CHAIN}; see the chain orders below).</li>
 * <li>{@link AbuseGuardFilter}: refused addresses, locked-out sources and claimed clients (before
 * {@link OAuth2ClientAuthenticationFilter}).</li>
 * <li>{@link StrictEndpointParameters}: parameter hygiene, one client authentication method (before
 * client authentication, after the abuse guard).</li>
 * <li>Spring's {@link OAuth2ClientAuthenticationFilter}, set up by
 * {@code client/ClientAuthenticationCustomizer}.</li>
 * <li>{@link ClientRateLimitFilter}: the authenticated client's request rate (after client authentication).</li>
 * <li>{@link DPoPTokenEndpointFilter}: DPoP nonce, single-use proof, DPoP-only clients (after the rate limit).</li>
 * <li>Spring's {@code OAuth2TokenEndpointFilter} (after {@code AuthorizationFilter}): grant dispatch to
 * the first converter that reads the request and the provider that supports its token; both live in
 * {@code grant/<name>/} and come from that grant's registration ({@code grant/Grants}, applied in
 * {@code SecurityConfiguration#grants}).</li>
 * <li>The provider issues through the token generator bean ({@code token/OstiaryTokenGenerator}: Spring's
 * default claims, then {@code token/AccessTokenClaims}; {@code token/BoundRefreshTokens}) and saves the authorization
 * ({@code authorization/PostgresAuthorizationService}).</li>
 * <li>{@code token/AuditedTokenResponses} writes Spring's token response and publishes {@code token.issued}
 * ({@code token/IssuedTokenAudit}, as the grant's registration says);
 * errors are written by {@code token/TokenEndpointErrors}.</li>
 * </ol>
 *
 * <p>{@code GET|POST /oauth2/authorize}: steps 1 to 3, then {@link ConsentCsrfCheck} (after
 * {@link CsrfFilter}: the consent POST carries the session's CSRF token), Spring's code request
 * validating filter (client and redirect URI, before {@code AbstractPreAuthenticatedProcessingFilter}),
 * {@link StrictEndpointParameters}, then Spring's {@code OAuth2AuthorizationEndpointFilter} (after
 * {@code AuthorizationFilter}, so a user without a session is sent to the login page first): the
 * {@code grant/implicit} and {@code grant/authorizationcode} providers, consent by
 * {@code consent/ConsentAnswers} (audited by {@code consent/ConsentGrantedAudit}), answered by
 * {@code grant/AuthorizationEndpointResponses} (each grant's own answers first: implicit's fragment,
 * audited as {@code token.issued}).
 *
 * <p>{@code POST /login} (default chain): steps 1 to 3, {@link AbuseGuardFilter} before {@link CsrfFilter},
 * then Spring's form login.
 *
 * <p>{@code GET /oauth2/jwks}: step 1, then {@link JwksEndpointFilter} (servlet filter {@link #JWKS_FILTER})
 * answers it; no chain, no database.
 *
 * <p>{@code GET /gateway/check} (nginx's {@code auth_request}): steps 1 and 2, then {@link GatewayCheckFilter}
 * (servlet filter {@link #GATEWAY_CHECK_FILTER}) answers it; no chain.
 */
@Configuration(proxyBeanMethods = false)
public class RequestPipeline {

    // Servlet filters: ahead of Spring Security's FilterChainProxy (SecurityProperties.DEFAULT_FILTER_ORDER)

    /** Outermost: before anything that could read a body, credential checks included. */
    public static final int BODY_LIMIT_FILTER = Ordered.HIGHEST_PRECEDENCE;
    /** Before the database check and the security chain: the JWKS needs no session, security context or database. */
    public static final int JWKS_FILTER = BODY_LIMIT_FILTER + 10;
    /** Outside everything else that may touch the database, so it sees what all of it throws. */
    public static final int DATABASE_UNAVAILABLE_FILTER = JWKS_FILTER + 5;
    /** Inside the database check (a row-backed token's revocation is a lookup), ahead of the security chain. */
    public static final int GATEWAY_CHECK_FILTER = DATABASE_UNAVAILABLE_FILTER + 5;
    /**
     * Spring Session's {@code SessionRepositoryFilter}, where Spring Boot registers it
     * ({@code spring.session.servlet.filter-order}, left at its default): inside the database check, which
     * must see a session that cannot be read or saved (PostgreSQL gone) to answer 503, not 500; after the
     * JWKS, which needs no session.
     */
    public static final int SESSION_REPOSITORY_FILTER = SessionRepositoryFilter.DEFAULT_ORDER;

    // Security filter chains: FilterChainProxy runs only the first chain whose matcher matches

    /** First: its matcher (the management port) covers every path, so it must win on that port. */
    public static final int MANAGEMENT_SERVER_CHAIN = Ordered.HIGHEST_PRECEDENCE;
    /** Spring Authorization Server's endpoints, before the default chain would claim them. */
    public static final int AUTHORIZATION_SERVER_CHAIN = 1;
    /** Dynamic registration: stateless, no CSRF; before the default chain, which would demand a session. */
    public static final int CLIENT_REGISTRATION_CHAIN = 2;
    /** The admin API: bearer tokens only; before the default chain, which would demand a session. */
    public static final int ADMIN_API_CHAIN = 3;
    /** The operator console ({@code /admin/**} but the API): after the admin API, whose matcher is narrower. */
    public static final int CONSOLE_CHAIN = 4;
    /** Last: it has no matcher, so it answers every request no other chain took (pages, login, logout). */
    public static final int DEFAULT_CHAIN = 5;

    private final EndpointMatchers endpoints;
    private final SourceGuard sources;
    private final ClientRateLimiter rateLimiter;
    private final DPoPNonces dpopNonces;
    private final SeenJtis seenJtis;
    private final boolean dpopNonceRequired;

    RequestPipeline(EndpointMatchers endpoints, SourceGuard sources, ClientRateLimiter rateLimiter,
            DPoPNonces dpopNonces, SeenJtis seenJtis,
            DPoPProperties dpop) {
        this.endpoints = endpoints;
        this.sources = sources;
        this.rateLimiter = rateLimiter;
        this.dpopNonces = dpopNonces;
        this.seenJtis = seenJtis;
        this.dpopNonceRequired = dpop.nonceRequired();
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(RequestLimitsProperties limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(limits.maxRequestBody().toBytes()));
        registration.setOrder(BODY_LIMIT_FILTER);
        return registration;
    }

    /**
     * A servlet filter ahead of Spring Security on purpose: the JWKS is public and is what resource
     * servers poll. The container maps the (decoded) path to it; the filter's matcher decides on the
     * same decoded path.
     */
    @Bean
    FilterRegistrationBean<JwksEndpointFilter> jwksEndpointFilter(SigningKeySet keySet,
            AuthorizationServerSettings settings, KeysProperties properties,
            // the origins the security chain's CORS filter allows: Spring Security looks that source up
            // by this name, and Spring MVC provides another CorsConfigurationSource bean
            @Qualifier("corsConfigurationSource") CorsConfigurationSource origins) {
        FilterRegistrationBean<JwksEndpointFilter> registration = new FilterRegistrationBean<>(
                new JwksEndpointFilter(keySet, endpoints.jwks(), properties.jwksMaxAge(), origins));
        registration.setOrder(JWKS_FILTER);
        registration.addUrlPatterns(settings.getJwkSetEndpoint());
        return registration;
    }

    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter() {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
                new DatabaseUnavailableFilter());
        registration.setOrder(DATABASE_UNAVAILABLE_FILTER);
        return registration;
    }

    /**
     * nginx's {@code auth_request} target ({@code GET /gateway/check}): steps 1 and 2, then this servlet
     * filter answers from memory (and, for a row-backed token, one lookup); no chain. The container maps
     * the decoded path to it; the filter's matcher decides on the same decoded path.
     */
    @Bean
    FilterRegistrationBean<GatewayCheckFilter> gatewayCheckFilter(GatewayCheck check, GatewayCallers callers,
            GatewayMetrics metrics, GatewayProperties gateway) {
        FilterRegistrationBean<GatewayCheckFilter> registration = new FilterRegistrationBean<>(
                new GatewayCheckFilter(check, callers, endpoints.gatewayCheck(), metrics, gateway.realm()));
        registration.setOrder(GATEWAY_CHECK_FILTER);
        registration.addUrlPatterns(EndpointMatchers.GATEWAY_CHECK_PATH);
        return registration;
    }

    /**
     * Steps 4 to 8 and the consent CSRF check, in the authorization server's chain. Apply it after
     * {@code oauth2AuthorizationServer(...)}: {@link OAuth2ClientAuthenticationFilter} has a position
     * in the chain only once that configurer has run, and a configurer applied later runs later.
     *
     * @param authorizationErrors how the authorization endpoint answers an error it cannot redirect
     */
    AbstractHttpConfigurer<?, HttpSecurity> authorizationServerSteps(AuthenticationFailureHandler authorizationErrors) {
        return new AuthorizationServerSteps(authorizationErrors);
    }

    /** The login form's abuse guard, ahead of the CSRF check: a locked-out source is refused whatever it sends. */
    AbstractHttpConfigurer<?, HttpSecurity> loginSteps() {
        return new LoginSteps();
    }

    /*
     * One configurer class per step list, never a shared one: HttpSecurity keeps a single configurer per
     * class (allowConfigurersOfSameType is false), so a second list of a shared class applied to the
     * same chain would replace the first without a word, and with it the abuse guard, the parameter
     * checks, the rate limit and DPoP. A new step list (PAR, device code) gets a class of its own.
     * Each runs when the chain is built, after the configurers applied before it.
     */

    private final class AuthorizationServerSteps extends AbstractHttpConfigurer<AuthorizationServerSteps, HttpSecurity> {

        private final AuthenticationFailureHandler authorizationErrors;

        AuthorizationServerSteps(AuthenticationFailureHandler authorizationErrors) {
            this.authorizationErrors = authorizationErrors;
        }

        @Override
        public void configure(HttpSecurity http) {
            // one instance for both consent POSTs: a second instance of the class would be skipped as already run
            http.addFilterAfter(new ConsentCsrfCheck(new OrRequestMatcher(endpoints.authorization(),
                    endpoints.deviceVerification())), CsrfFilter.class);
            // filters at one position keep the order they were added in
            http.addFilterBefore(AbuseGuardFilter.forClientEndpoints(sources, endpoints.clientAuthenticated()),
                    OAuth2ClientAuthenticationFilter.class);
            http.addFilterBefore(new StrictEndpointParameters(endpoints.clientAuthenticated(),
                    endpoints.authorization(), authorizationErrors), OAuth2ClientAuthenticationFilter.class);
            http.addFilterAfter(new ClientRateLimitFilter(rateLimiter, endpoints.rateLimited()),
                    OAuth2ClientAuthenticationFilter.class);
            http.addFilterAfter(new DPoPTokenEndpointFilter(dpopNonces, seenJtis, endpoints.token(), dpopNonceRequired),
                    OAuth2ClientAuthenticationFilter.class);
        }
    }

    private final class LoginSteps extends AbstractHttpConfigurer<LoginSteps, HttpSecurity> {

        @Override
        public void configure(HttpSecurity http) {
            http.addFilterBefore(AbuseGuardFilter.forLogin(sources, endpoints.loginForm()), CsrfFilter.class);
        }
    }
}
