package dev.ostiary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.servlet.Filter;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.oauth2.server.authorization.web.OAuth2ClientAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;

import dev.ostiary.abuse.AbuseGuardFilter;
import dev.ostiary.abuse.ClientRateLimitFilter;
import dev.ostiary.consent.ConsentCsrfCheck;
import dev.ostiary.dpop.DPoPTokenEndpointFilter;
import dev.ostiary.support.ServerTest;
import dev.ostiary.web.StrictEndpointParameters;

/**
 * Ostiary's filters sit where {@link RequestPipeline} says, next to Spring Security's own, in the chains
 * as built: a step list that went missing (review F3: one configurer per class and chain) or a filter
 * that moved would let requests skip the abuse guard, the parameter checks, the rate limit or DPoP.
 */
class RequestPipelineFilterOrderTest extends ServerTest {

    @Autowired
    @Qualifier("authorizationServerChain")
    SecurityFilterChain authorizationServerChain;

    @Autowired
    @Qualifier("defaultChain")
    SecurityFilterChain defaultChain;

    @Autowired
    FilterChainProxy filterChainProxy;

    @Test
    void whenTheAuthorizationServerChainIsBuiltThenTheGuardsAndParameterChecksPrecedeClientAuthentication() {
        List<Class<?>> filters = typesOf(authorizationServerChain);

        // steps 4 to 8: abuse guard, strict parameters, client authentication, rate limit, DPoP, in a row
        assertThat(filters).containsSubsequence(AbuseGuardFilter.class, StrictEndpointParameters.class,
                OAuth2ClientAuthenticationFilter.class, ClientRateLimitFilter.class, DPoPTokenEndpointFilter.class);
        int clientAuthentication = filters.indexOf(OAuth2ClientAuthenticationFilter.class);
        assertThat(filters.subList(clientAuthentication - 2, clientAuthentication + 3)).containsExactly(
                AbuseGuardFilter.class, StrictEndpointParameters.class, OAuth2ClientAuthenticationFilter.class,
                ClientRateLimitFilter.class, DPoPTokenEndpointFilter.class);
        // the consent POST is checked against the session's CSRF token, right after Spring's CSRF filter
        assertThat(filters.get(filters.indexOf(CsrfFilter.class) + 1)).isEqualTo(ConsentCsrfCheck.class);
        assertThat(filters).containsOnlyOnce(AbuseGuardFilter.class, StrictEndpointParameters.class,
                ClientRateLimitFilter.class, DPoPTokenEndpointFilter.class, ConsentCsrfCheck.class);
    }

    @Test
    void whenTheDefaultChainIsBuiltThenTheLoginAbuseGuardPrecedesTheCsrfCheck() {
        List<Class<?>> filters = typesOf(defaultChain);

        assertThat(filters.get(filters.indexOf(CsrfFilter.class) - 1)).isEqualTo(AbuseGuardFilter.class);
        assertThat(filters).containsOnlyOnce(AbuseGuardFilter.class)
                .doesNotContain(OAuth2ClientAuthenticationFilter.class, ClientRateLimitFilter.class,
                        DPoPTokenEndpointFilter.class, ConsentCsrfCheck.class);
    }

    @Test
    void whenRequestsArriveThenTheFilterChainProxyServesTheseChains() {
        assertThat(filterChainProxy.getFilterChains()).contains(authorizationServerChain, defaultChain);
        // the default chain has no matcher, so it must be the last one asked
        assertThat(filterChainProxy.getFilterChains()).last().isSameAs(defaultChain);
    }

    private static List<Class<?>> typesOf(SecurityFilterChain chain) {
        return chain.getFilters().stream().<Class<?>>map(Filter::getClass).toList();
    }
}
