package dev.ostiary.passkeys;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.login.Factors;

/**
 * A user asked to register a passkey ({@code passkey_enrolment_required}, the demo's carol) is sent
 * to {@code /account/passkeys?first-use} after a successful password sign-in, in place of where the
 * sign-in would have gone. The saved request (the authorization request) stays in the session; the
 * page offers it as "Continue" once a passkey is registered, and registering clears the request.
 *
 * <p>This wraps the password form's response rather than replacing its success handler, so that it
 * works with whichever handler the sign-in steps set (the second-factor step included: a redirect
 * there is left alone, the factor comes first).
 */
final class EnrolmentPrompt extends OncePerRequestFilter {

    static final String PAGE = "/account/passkeys?first-use";
    private static final RequestMatcher PASSWORD_FORM = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/login");

    private final AccountPasskeys passkeys;

    EnrolmentPrompt(AccountPasskeys passkeys) {
        this.passkeys = passkeys;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !PASSWORD_FORM.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void sendRedirect(String location) throws IOException {
                Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
                if (signedIn != null && Factors.of(signedIn).contains(Factors.PASSWORD)
                        && !location.contains("/login") && passkeys.enrolmentRequired(signedIn.getName())) {
                    super.sendRedirect(request.getContextPath() + PAGE);
                } else {
                    super.sendRedirect(location);
                }
            }
        });
    }
}
