package dev.ostiary.passkeys;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;

/**
 * Passkeys in the default (browser) chain: Spring Security's WebAuthn support ({@code webAuthn()}:
 * {@code /webauthn/register/options}, {@code /webauthn/register}, {@code /webauthn/authenticate/options},
 * {@code /login/webauthn}) on our relying party and repositories, plus the pieces it lacks.
 */
final class PasskeysConfigurer extends AbstractHttpConfigurer<PasskeysConfigurer, HttpSecurity> {

    private final PasskeysSecurity passkeys;

    PasskeysConfigurer(PasskeysSecurity passkeys) {
        this.passkeys = passkeys;
    }

    @Override
    public void init(HttpSecurity http) {
        // Spring's WebAuthnConfigurer wants a UserDetailsService; ours is not a bean on purpose
        // (UserConfiguration: nothing may bypass the password lockout), so it gets one for this chain only
        http.setSharedObject(org.springframework.security.core.userdetails.UserDetailsService.class,
                passkeys.users());
        http.webAuthn(webAuthn -> webAuthn
                .rpName(IssuerRelyingParty.RP_NAME)
                // the RP ID and origins follow the issuer per request (IssuerRelyingParty, a bean Spring uses)
                .rpId("issuer-host")
                // our own page, /account/passkeys
                .disableDefaultRegistrationPage(true)
                .withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
                    @Override
                    public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
                        signIn(http, filter);
                        return filter;
                    }
                }));
    }

    private void signIn(HttpSecurity http, WebAuthnAuthenticationFilter filter) {
        PasskeySignIn signIn = passkeys.signIn();
        filter.setAuthenticationManager(new ProviderManager(signIn));
        // Spring Security 7 MFA: after the password, a passkey of the same user ADDS FACTOR_WEBAUTHN
        filter.setMfaEnabled(true);
        // as the form login does: a new session id (fixation), the session registered for "sign out everywhere"
        SessionAuthenticationStrategy sessions = http.getSharedObject(SessionAuthenticationStrategy.class);
        if (sessions != null) {
            filter.setSessionAuthenticationStrategy(sessions);
        }
        filter.setAuthenticationSuccessHandler(signIn.successHandler());
        filter.setAuthenticationFailureHandler(signIn.failureHandler());
    }

    @Override
    public void configure(HttpSecurity http) {
        // wraps the registration filter (after AuthorizationFilter): a refused ceremony is a 400, not a 500
        http.addFilterBefore(passkeys.registrationFailures(), AuthorizationFilter.class);
        http.addFilterBefore(passkeys.enrolmentPrompt(), UsernamePasswordAuthenticationFilter.class);
    }
}
