package dev.ostiary.console;

import java.time.Clock;

import jakarta.servlet.Filter;

import org.springframework.security.web.access.AccessDeniedHandler;

import dev.ostiary.logout.SessionLogout;

/** The console's pieces that {@code config/ConsoleSecurity} puts on its chain. */
public final class ConsoleChain {

    private ConsoleChain() {
    }

    public static AccessDeniedHandler deniedHandler() {
        return new ConsoleDeniedHandler();
    }

    /** A 400 for any parameter with a control character but tab and line breaks ({@link ControlCharactersRefused}). */
    public static Filter controlCharactersRefused() {
        return new ControlCharactersRefused();
    }

    public static Filter idleTimeout(ConsoleProperties properties, Clock clock, SessionLogout logout) {
        return new ConsoleIdleTimeout(properties.idleTimeout(), clock, (request, response, authentication) ->
                logout.logout(request, response, authentication, SessionLogout.Via.CONSOLE_IDLE, null));
    }
}
