package dev.ostiary.signup;

import static dev.ostiary.recovery.RecoveryPages.field;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import dev.ostiary.recovery.MailContext;
import dev.ostiary.recovery.RecoveryPages;
import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserManagement;
import dev.ostiary.web.IssuerProperties;

/**
 * {@code /register}, only when {@code ostiary.registration.enabled} (otherwise no controller: 404).
 * Field errors are about the input alone (format, the two passwords); whether the name or the
 * address is taken is never shown here ({@link Signup}).
 */
@Controller
@ConditionalOnBooleanProperty("ostiary.registration.enabled")
class SignupController {

    private final Signup signup;
    private final IssuerProperties issuer;

    SignupController(Signup signup, IssuerProperties issuer) {
        this.signup = signup;
        this.issuer = issuer;
    }

    @GetMapping(RecoveryPages.REGISTER)
    String form(Model model) {
        model.addAttribute("errors", Map.of());
        return "signup/register";
    }

    @PostMapping(RecoveryPages.REGISTER)
    String register(HttpServletRequest request, HttpServletResponse response, Model model) {
        String username = AppUser.normalize(field(request, "username", 100));
        String email = AppUser.normalizeEmail(field(request, "email", RecoveryPages.MAX_FIELD));
        String password = field(request, "password", UserManagement.MAX_PASSWORD_LENGTH * 4);
        String confirm = field(request, "confirm", UserManagement.MAX_PASSWORD_LENGTH * 4);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!UserManagement.validUsername(username)) {
            errors.put("username", "recovery.signup.username.invalid");
        }
        if (!UserManagement.validEmail(email)) {
            errors.put("email", "recovery.signup.email.invalid");
        }
        if (!UserManagement.validPassword(password)) {
            errors.put("password", "recovery.password.rules");
        } else if (!password.equals(confirm)) {
            errors.put("confirm", "recovery.password.mismatch");
        }
        if (!errors.isEmpty()) {
            response.setStatus(400);
            model.addAttribute("errors", errors);
            model.addAttribute("username", username);
            model.addAttribute("email", email);
            return "signup/register";
        }
        signup.register(username, email, password, MailContext.of(request, issuer));
        return "signup/register-sent";
    }
}
