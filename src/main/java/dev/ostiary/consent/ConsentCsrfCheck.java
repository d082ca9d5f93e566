package dev.ostiary.consent;

import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Authorization Server exempts its endpoints from CSRF protection and relies on the
 * consent's unguessable {@code state}. The consent form also carries the session's CSRF token
 * (rendered by the consent page, under the login chain's protection); this checks it on the POST
 * back to the authorization endpoint, so a forged consent needs both. It decides with the
 * authorization endpoint's own {@link RequestMatcher}, so {@code POST /oauth2/%61uthorize} (which
 * Spring routes to that endpoint) is checked too.
 */
public final class ConsentCsrfCheck extends OncePerRequestFilter {

    private final CsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
    private final XorCsrfTokenRequestAttributeHandler resolver = new XorCsrfTokenRequestAttributeHandler();
    private final RequestMatcher authorizationEndpoint;

    /** @param authorizationEndpoint the authorization endpoint's matcher; only its POSTs are checked */
    public ConsentCsrfCheck(RequestMatcher authorizationEndpoint) {
        this.authorizationEndpoint = authorizationEndpoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !authorizationEndpoint.matches(request)
                || request.getParameter("response_type") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CsrfToken expected = tokens.loadToken(request);
        String submitted = expected == null ? null : resolver.resolveCsrfTokenValue(request, expected);
        if (expected == null || submitted == null || !MessageDigest.isEqual(
                expected.getToken().getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(request, response);
    }
}
