package dev.ostiary.recovery;

import static dev.ostiary.recovery.RecoveryPages.field;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserAuthenticationProvider;
import dev.ostiary.user.UserManagement;
import dev.ostiary.user.UserRepository;
import dev.ostiary.web.IssuerProperties;

/**
 * {@code /account/profile}: the signed-in user's name and address. Changing the address needs the
 * current password (a session left open on a shared computer must not hand the account over: the
 * address is where reset links go), checked by the same provider as the login form, so failures
 * count towards the lockout. The new address is used only once its link comes back.
 */
@Controller
class ProfileController {

    private final UserRepository users;
    private final UserAuthenticationProvider passwords;
    private final EmailVerification verification;
    private final IssuerProperties issuer;

    ProfileController(UserRepository users, UserAuthenticationProvider passwords, EmailVerification verification,
            IssuerProperties issuer) {
        this.users = users;
        this.passwords = passwords;
        this.verification = verification;
        this.issuer = issuer;
    }

    @GetMapping(RecoveryPages.PROFILE)
    String profile(Principal principal, HttpServletRequest request, Model model) {
        show(principal, model);
        model.addAttribute("sentTo", request.getSession().getAttribute(SENT_TO));
        request.getSession().removeAttribute(SENT_TO);
        return "recovery/profile";
    }

    private static final String SENT_TO = ProfileController.class.getName() + ".sentTo";

    @PostMapping(RecoveryPages.PROFILE + "/email")
    String changeEmail(Principal principal, HttpServletRequest request, HttpServletResponse response, Model model) {
        String email = AppUser.normalizeEmail(field(request, "email", RecoveryPages.MAX_FIELD));
        String password = field(request, "current-password", UserManagement.MAX_PASSWORD_LENGTH * 4);
        AppUser user = show(principal, model);
        model.addAttribute("newEmail", email);
        if (!UserManagement.validEmail(email)) {
            return problem(response, model, "emailError", "recovery.profile.email.invalid");
        }
        if (email.equals(user.getEmail()) && user.isEmailVerified()) {
            return problem(response, model, "emailError", "recovery.profile.email.same");
        }
        try {
            UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(
                    user.getUsername(), password);
            attempt.setDetails(new WebAuthenticationDetails(request));
            passwords.authenticate(attempt);
        } catch (AuthenticationException e) {
            return problem(response, model, "passwordError", "recovery.profile.password.wrong");
        }
        verification.requestChange(user.getUsername(), email, MailContext.of(request, issuer));
        request.getSession().setAttribute(SENT_TO, email);
        return "redirect:" + RecoveryPages.PROFILE;
    }

    /** Sends the link for the address the account has but never proved (one an administrator set). */
    @PostMapping(RecoveryPages.PROFILE + "/resend")
    String resend(Principal principal, HttpServletRequest request) {
        AppUser user = users.findByUsername(principal.getName())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (user.getEmail() != null && !user.isEmailVerified()) {
            verification.requestChange(user.getUsername(), user.getEmail(), MailContext.of(request, issuer));
            request.getSession().setAttribute(SENT_TO, user.getEmail());
        }
        return "redirect:" + RecoveryPages.PROFILE;
    }

    private AppUser show(Principal principal, Model model) {
        // a user deleted mid-session has no profile: the session is on its way out anyway
        AppUser user = users.findByUsername(principal.getName())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("username", user.getUsername());
        model.addAttribute("email", user.getEmail());
        model.addAttribute("emailVerified", user.isEmailVerified());
        return user;
    }

    private static String problem(HttpServletResponse response, Model model, String field, String key) {
        response.setStatus(400);
        model.addAttribute(field, key);
        return "recovery/profile";
    }
}
