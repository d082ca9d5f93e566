package dev.ostiary.passkeys;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.HttpMessageConverterAuthenticationSuccessHandler;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationProvider;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * What Spring's WebAuthn sign-in ({@code POST /login/webauthn}) lacks here, around its provider:
 *
 * <ul>
 * <li>A disabled or locked account is refused, as the password sign-in refuses it (Spring's
 * provider loads the user but does not check them).</li>
 * <li>A browser already signed in as one user (after the password, at the second-factor step) that
 * presents another user's passkey is refused, not switched to that user: Spring's MFA merging adds
 * the factor only for the same name and would otherwise replace the session's user without a word,
 * so a passkey picked by mistake (or planted in a shared browser) would carry on the authorization
 * request as someone else. To change user, sign out first.</li>
 * <li>Successes and failures are audited.</li>
 * </ul>
 */
final class PasskeySignIn implements AuthenticationProvider {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PasskeySignIn.class);

    private final WebAuthnAuthenticationProvider delegate;
    private final UserDetailsService users;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AccountStatusUserDetailsChecker status = new AccountStatusUserDetailsChecker();
    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    PasskeySignIn(IssuerRelyingParty relyingParty, UserDetailsService users, ApplicationEventPublisher events,
            Clock clock) {
        this.delegate = new WebAuthnAuthenticationProvider(relyingParty, users);
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication result = delegate.authenticate(authentication);
        try {
            status.check(users.loadUserByUsername(result.getName()));
        } catch (AuthenticationException e) {
            audit(AuditEventType.PASSKEY_SIGN_IN_FAILED, result.getName(), "account_disabled");
            throw new BadCredentialsException("Passkey sign-in refused");
        }
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current != null && current.isAuthenticated() && !trust.isAnonymous(current)
                && !current.getName().equals(result.getName())) {
            audit(AuditEventType.PASSKEY_SIGN_IN_FAILED, current.getName(), "other_users_passkey");
            throw new BadCredentialsException("Passkey of another user");
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    AuthenticationSuccessHandler successHandler() {
        HttpMessageConverterAuthenticationSuccessHandler json = new HttpMessageConverterAuthenticationSuccessHandler();
        return (request, response, authentication) -> {
            audit(AuditEventType.PASSKEY_SIGN_IN_SUCCEEDED, authentication.getName(), null);
            json.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /** 401 with a small JSON body; the page shows its own message (no detail for an attacker). */
    AuthenticationFailureHandler failureHandler() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
            // the classes only: messages can carry credential ids and bytes of the assertion
            log.info("Passkey sign-in refused: {} ({})", exception.getClass().getSimpleName(), rootCause(exception));
            if (!(exception.getMessage() != null && exception.getMessage().startsWith("Passkey"))) {
                audit(AuditEventType.PASSKEY_SIGN_IN_FAILED, null, "assertion_rejected");
            }
            write(response, HttpStatus.UNAUTHORIZED, "{\"authenticated\":false}");
        };
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }

    static void write(HttpServletResponse response, HttpStatus status, String json) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write(json);
    }

    private void audit(AuditEventType type, String username, String reason) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, null,
                reason == null ? Map.of() : Map.of("reason", reason)));
    }
}
