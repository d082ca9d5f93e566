package dev.ostiary.recovery;

import static dev.ostiary.recovery.RecoveryPages.field;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.user.UserManagement;
import dev.ostiary.web.IssuerProperties;

/**
 * {@code /forgot-password} and {@code /reset-password}. The request form always answers the same
 * page, status and body, immediately (the work is done afterwards: {@link MailWork}). The link's
 * GET shows the new-password form and uses nothing up (mail scanners prefetch links); the POST
 * uses the link. The token travels in the URL of the GET and the body of the POST; pages send no
 * Referer (config/SecurityHeaders), so it leaks to nothing the page loads.
 */
@Controller
class PasswordResetController {

    private final PasswordRecovery recovery;
    private final IssuerProperties issuer;

    PasswordResetController(PasswordRecovery recovery, IssuerProperties issuer) {
        this.recovery = recovery;
        this.issuer = issuer;
    }

    @GetMapping(RecoveryPages.FORGOT_PASSWORD)
    String forgot() {
        return "recovery/forgot-password";
    }

    @PostMapping(RecoveryPages.FORGOT_PASSWORD)
    String requestLink(HttpServletRequest request, HttpServletResponse response, Model model) {
        String identifier = field(request, "identifier", RecoveryPages.MAX_FIELD).trim();
        if (identifier.isEmpty() || identifier.chars().anyMatch(Character::isISOControl)) {
            response.setStatus(400);
            model.addAttribute("identifierError", true);
            return "recovery/forgot-password";
        }
        recovery.requestReset(identifier, MailContext.of(request, issuer));
        return "recovery/forgot-password-sent";
    }

    @GetMapping(RecoveryPages.RESET_PASSWORD)
    String resetForm(HttpServletRequest request, HttpServletResponse response, Model model) {
        String token = field(request, "token", 100);
        PasswordRecovery.Outcome state = recovery.check(token);
        if (state != PasswordRecovery.Outcome.CHANGED) {
            return linkRefused(state == PasswordRecovery.Outcome.EXPIRED, response, model);
        }
        model.addAttribute("token", token);
        return "recovery/reset-password";
    }

    @PostMapping(RecoveryPages.RESET_PASSWORD)
    String reset(HttpServletRequest request, HttpServletResponse response, Model model) {
        String token = field(request, "token", 100);
        String password = field(request, "password", UserManagement.MAX_PASSWORD_LENGTH * 4);
        String confirm = field(request, "confirm", UserManagement.MAX_PASSWORD_LENGTH * 4);
        if (!AccountLinks.wellFormed(token)) {
            return linkRefused(false, response, model);
        }
        String problem = !UserManagement.validPassword(password) ? "recovery.password.rules"
                : !password.equals(confirm) ? "recovery.password.mismatch" : null;
        if (problem == null) {
            try {
                PasswordRecovery.Outcome outcome = recovery.reset(token, password, MailContext.of(request, issuer));
                if (outcome == PasswordRecovery.Outcome.CHANGED) {
                    return "recovery/reset-done";
                }
                return linkRefused(outcome == PasswordRecovery.Outcome.EXPIRED, response, model);
            } catch (InvalidRequestException e) {
                problem = "recovery.password.rules";
            }
        }
        // the link is still unused: the same form again, with what was wrong
        response.setStatus(400);
        model.addAttribute("token", token);
        model.addAttribute("passwordError", problem);
        return "recovery/reset-password";
    }

    static String linkRefused(boolean expired, HttpServletResponse response, Model model) {
        // 410: the link is gone for good (used, replaced, expired or never made); asking again is the way on
        response.setStatus(410);
        model.addAttribute("expired", expired);
        return "recovery/link-invalid";
    }
}
