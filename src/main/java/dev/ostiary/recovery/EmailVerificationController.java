package dev.ostiary.recovery;

import static dev.ostiary.recovery.RecoveryPages.field;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import dev.ostiary.web.IssuerProperties;

/**
 * {@code /verify-email}: the link of a registration or an address change. The GET shows a button
 * (a prefetching scanner must not verify an address for its reader), the POST uses the link.
 */
@Controller
class EmailVerificationController {

    private final EmailVerification verification;
    private final IssuerProperties issuer;

    EmailVerificationController(EmailVerification verification, IssuerProperties issuer) {
        this.verification = verification;
        this.issuer = issuer;
    }

    @GetMapping(RecoveryPages.VERIFY_EMAIL)
    String confirm(HttpServletRequest request, HttpServletResponse response, Model model) {
        String token = field(request, "token", 100);
        var link = verification.check(token);
        if (link.isEmpty()) {
            return PasswordResetController.linkRefused(verification.expired(token), response, model);
        }
        model.addAttribute("token", token);
        model.addAttribute("email", link.get().email());
        model.addAttribute("registration", link.get().purpose() == AccountLinks.Purpose.REGISTRATION);
        return "recovery/verify-email";
    }

    @PostMapping(RecoveryPages.VERIFY_EMAIL)
    String verify(HttpServletRequest request, HttpServletResponse response, Model model) {
        String token = field(request, "token", 100);
        EmailVerification.Outcome outcome = verification.verify(token, MailContext.of(request, issuer));
        switch (outcome) {
            case REGISTERED, EMAIL_CHANGED -> {
                model.addAttribute("registered", outcome == EmailVerification.Outcome.REGISTERED);
                return "recovery/verify-done";
            }
            case ADDRESS_TAKEN -> {
                response.setStatus(409);
                model.addAttribute("taken", true);
                return "recovery/link-invalid";
            }
            default -> {
                return PasswordResetController.linkRefused(outcome == EmailVerification.Outcome.EXPIRED, response,
                        model);
            }
        }
    }
}
