package dev.ostiary.account;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records the device of each interactive sign-in (the login form, a passkey) in the session it signed
 * in. Spring Security publishes {@link InteractiveAuthenticationSuccessEvent} after the session was
 * renamed against fixation and before the success handler redirects, inside the request, so the
 * attribute lands in the session the browser keeps. The address is {@code getRemoteAddr()}: behind
 * trusted proxies Tomcat's valve has already made it the client's ({@code web/TrustedProxies}), and
 * {@code X-Forwarded-For} from anybody else is ignored.
 */
public class SignInDevices {

    private final Clock clock;

    public SignInDevices(Clock clock) {
        this.clock = clock;
    }

    @EventListener
    public void signedIn(InteractiveAuthenticationSuccessEvent event) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            record(servlet.getRequest());
        }
    }

    void record(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.setAttribute(SignInDevice.ATTRIBUTE, new SignInDevice(
                    DeviceSummary.of(request.getHeader(HttpHeaders.USER_AGENT)), request.getRemoteAddr(),
                    clock.instant()));
        }
    }
}
