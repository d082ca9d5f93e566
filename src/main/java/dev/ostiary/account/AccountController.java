package dev.ostiary.account;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.ostiary.client.ClientManagement;
import dev.ostiary.login.EnrolledFactors;
import dev.ostiary.login.Factors;
import dev.ostiary.logout.SessionLogout;
import dev.ostiary.user.Account;
import dev.ostiary.user.Accounts;
import dev.ostiary.user.UserManagement;

/**
 * The account pages of the signed-in user: the hub ({@code /account}) with one line of status per
 * section, the password change and the list of signed-in sessions. Every POST carries the session's
 * CSRF token (Spring Security's default chain). Each page re-reads the user first: a session whose
 * user was deleted, disabled or locked in the meantime is ended and sent to log in, never a 500.
 */
@Controller
@RequestMapping("/account")
class AccountController {

    static final String LOGIN_AGAIN = "redirect:/login";

    private final Accounts accounts;
    private final ObjectProvider<EnrolledFactors> enrolledFactors;
    private final AccountSessions sessions;
    private final PasswordChange passwordChange;
    private final SessionLogout sessionLogout;
    private final ClientManagement clients;
    private final JdbcClient jdbc;

    AccountController(Accounts accounts, ObjectProvider<EnrolledFactors> enrolledFactors, AccountSessions sessions,
            PasswordChange passwordChange, SessionLogout sessionLogout, ClientManagement clients, JdbcClient jdbc) {
        this.accounts = accounts;
        this.enrolledFactors = enrolledFactors;
        this.sessions = sessions;
        this.passwordChange = passwordChange;
        this.sessionLogout = sessionLogout;
        this.clients = clients;
        this.jdbc = jdbc;
    }

    /** The password rules, for the hint and the error on the password page. */
    @org.springframework.web.bind.annotation.ModelAttribute
    void passwordRules(Model model) {
        model.addAttribute("minLength", UserManagement.MIN_PASSWORD_LENGTH);
        model.addAttribute("maxLength", UserManagement.MAX_PASSWORD_LENGTH);
    }

    @GetMapping
    String hub(Authentication user, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (gone(user, request, response)) {
            return LOGIN_AGAIN;
        }
        String name = user.getName();
        Set<String> enrolled = new TreeSet<>();
        enrolledFactors.orderedStream().forEach(kind -> enrolled.addAll(kind.enrolled(name)));
        model.addAttribute("username", name);
        model.addAttribute("totp", enrolled.contains(Factors.TOTP));
        model.addAttribute("passkeys", enrolled.contains(Factors.WEBAUTHN));
        model.addAttribute("secondFactor", enrolled.contains(Factors.TOTP) || enrolled.contains(Factors.WEBAUTHN));
        model.addAttribute("sessionCount", sessions.of(name, currentSessionId(request)).size());
        model.addAttribute("consentCount", jdbc.sql("select count(*) from oauth2_authorization_consent where principal_name = ?")
                .param(name).query(Integer.class).single());
        model.addAttribute("applicationCount", clients.ownedBy(name).size());
        return "account/hub";
    }

    @GetMapping("/password")
    String passwordForm(Authentication user, HttpServletRequest request, HttpServletResponse response,
            @RequestParam(required = false) String changed, Model model) {
        if (gone(user, request, response)) {
            return LOGIN_AGAIN;
        }
        model.addAttribute("username", user.getName());
        model.addAttribute("changed", changed != null);
        return "account/password";
    }

    /** Never echoes a password: the form comes back empty, with the error tied to its field. */
    @PostMapping("/password")
    String changePassword(Authentication user, HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "current_password", required = false) String current,
            @RequestParam(name = "new_password", required = false) String proposed,
            @RequestParam(name = "confirm_password", required = false) String confirmation, Model model) {
        if (gone(user, request, response)) {
            return LOGIN_AGAIN;
        }
        PasswordChange.Outcome outcome = passwordChange.change(user.getName(), current, proposed, confirmation, request);
        switch (outcome) {
            case CHANGED -> {
                startAnew(request);
                return "redirect:/account/password?changed";
            }
            case USER_GONE -> {
                new SecurityContextLogoutHandler().logout(request, response, user);
                return LOGIN_AGAIN;
            }
            default -> {
                response.setStatus(outcome == PasswordChange.Outcome.LOCKED ? HttpStatus.TOO_MANY_REQUESTS.value()
                        : outcome == PasswordChange.Outcome.BUSY ? HttpStatus.SERVICE_UNAVAILABLE.value()
                        : HttpStatus.BAD_REQUEST.value());
                model.addAttribute("username", user.getName());
                model.addAttribute("changed", false);
                model.addAttribute("error", outcome.name());
                model.addAttribute("errorField", switch (outcome) {
                    case NEW_UNACCEPTABLE -> "new_password";
                    case CONFIRMATION_DIFFERS -> "confirm_password";
                    default -> "current_password";
                });
                return "account/password";
            }
        }
    }

    @GetMapping("/sessions")
    String sessionList(Authentication user, HttpServletRequest request, HttpServletResponse response,
            @RequestParam(required = false) String ended, Locale locale, Model model) {
        if (gone(user, request, response)) {
            return LOGIN_AGAIN;
        }
        DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(ZoneOffset.UTC);
        List<SessionRow> rows = sessions.of(user.getName(), currentSessionId(request)).stream()
                .map(session -> SessionRow.of(session, format)).toList();
        model.addAttribute("username", user.getName());
        model.addAttribute("sessions", rows);
        model.addAttribute("ended", ended != null);
        return "account/sessions";
    }

    /** Ends one other session of the user's; a handle that is not one of theirs is not found. */
    @PostMapping("/sessions/end")
    String endSession(Authentication user, HttpServletRequest request, HttpServletResponse response,
            @RequestParam(required = false) String handle) {
        if (gone(user, request, response)) {
            return LOGIN_AGAIN;
        }
        AccountSessions.Ended ended = sessions.end(user.getName(), handle, currentSessionId(request))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        sessionLogout.endedElsewhere(user.getName(), ended.sessionId(), request.getRemoteAddr());
        return "redirect:/account/sessions?ended";
    }

    /** A session as the page shows it: times already in the reader's language, UTC. */
    record SessionRow(String handle, String browser, String os, String address, String signedInAt,
            String lastActiveAt, boolean current) {

        static SessionRow of(AccountSessions.ActiveSession session, DateTimeFormatter format) {
            SignInDevice device = session.device();
            Instant signedIn = device == null ? session.createdAt() : device.signedInAt();
            return new SessionRow(session.handle(), device == null ? null : device.device().browser(),
                    device == null ? null : device.device().os(), device == null ? null : SignInDevice.display(device.address()),
                    format.format(signedIn), format.format(session.lastActiveAt()), session.current());
        }
    }

    /**
     * After a password change every session was ended, this one too: it goes on under a new id, with
     * the same sign-in (the security context and its factors) and device, so the browser that changed
     * the password stays signed in and nothing that knew the old id does.
     */
    private static void startAnew(HttpServletRequest request) {
        HttpSession old = request.getSession(false);
        if (old == null) {
            return;
        }
        Map<String, Object> kept = new java.util.HashMap<>();
        for (String name : List.of(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
                SignInDevice.ATTRIBUTE)) {
            Object value = old.getAttribute(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        old.invalidate();
        HttpSession fresh = request.getSession(true);
        kept.forEach(fresh::setAttribute);
    }

    private boolean gone(Authentication user, HttpServletRequest request, HttpServletResponse response) {
        // disabled or locked by an administrator counts as gone: deprovisioning expired its sessions,
        // and a page must not outlive that by a race
        if (user != null && accounts.find(user.getName()).filter(Account::active).isPresent()) {
            return false;
        }
        new SecurityContextLogoutHandler().logout(request, response, user);
        return true;
    }

    private static String currentSessionId(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : session.getId();
    }
}
