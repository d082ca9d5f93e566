package dev.ostiary.passkeys;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * What {@code SecurityConfiguration#defaultChain} applies: {@code http.with(passkeys.configurer(), withDefaults())}.
 */
public final class PasskeysSecurity {

    private final IssuerRelyingParty relyingParty;
    private final UserDetailsService users;
    private final AccountPasskeys passkeys;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PasskeysSecurity(IssuerRelyingParty relyingParty, UserDetailsService users, AccountPasskeys passkeys,
            ApplicationEventPublisher events, Clock clock) {
        this.relyingParty = relyingParty;
        this.users = users;
        this.passkeys = passkeys;
        this.events = events;
        this.clock = clock;
    }

    public AbstractHttpConfigurer<?, HttpSecurity> configurer() {
        return new PasskeysConfigurer(this);
    }

    UserDetailsService users() {
        return users;
    }

    PasskeySignIn signIn() {
        return new PasskeySignIn(relyingParty, users, events, clock);
    }

    RegistrationFailures registrationFailures() {
        return new RegistrationFailures(events, clock);
    }

    EnrolmentPrompt enrolmentPrompt() {
        return new EnrolmentPrompt(passkeys);
    }
}
