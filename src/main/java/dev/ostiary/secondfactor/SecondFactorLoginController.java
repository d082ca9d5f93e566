package dev.ostiary.secondfactor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.ostiary.login.Factors;

/**
 * {@code /login/second-factor}: the step after the password for a user with a second factor (Rule
 * R1). Open to every session ({@code permitAll}, so the rule does not send the page to itself); it
 * checks the sign-in itself: none → the login page; complete → back to the saved request.
 * A proven code merges its factor into the session's sign-in ({@link SecondFactorSession}), then the
 * browser goes back to the request the rule saved (the authorization request continues to consent
 * or to the client). With nothing enrolled while a policy asks for a second factor
 * ({@code ?required}), the page leads to the enrolment, which returns here.
 */
@Controller
class SecondFactorLoginController {

    private final SecondFactors secondFactors;
    private final SecondFactorRequirement requirement;
    private final HttpSessionRequestCache savedRequests = new HttpSessionRequestCache();

    SecondFactorLoginController(SecondFactors secondFactors, SecondFactorRequirement requirement) {
        this.secondFactors = secondFactors;
        this.requirement = requirement;
    }

    @GetMapping(SecondFactorStep.PAGE)
    String page(HttpServletRequest request, HttpServletResponse response, Model model,
            @RequestParam(name = "recovery", required = false) String recovery,
            @RequestParam(name = "required", required = false) String required) {
        Authentication signIn = SecurityContextHolder.getContext().getAuthentication();
        if (!SecondFactorRequirement.passwordOnly(signIn)) {
            return signedIn(signIn) ? "redirect:" + continueTo(request, response) : "redirect:/login";
        }
        var enrolled = requirement.enrolled(signIn.getName());
        if (enrolled.isEmpty()) {
            if (required == null) {
                return "redirect:" + continueTo(request, response);
            }
            model.addAttribute("enrol", true);
        }
        return page(model, enrolled, recovery != null, null);
    }

    @PostMapping(SecondFactorStep.PAGE)
    String prove(HttpServletRequest request, HttpServletResponse response, Model model,
            @RequestParam(name = "code", required = false) String code,
            @RequestParam(name = "recovery_code", required = false) String recoveryCode) {
        Authentication signIn = SecurityContextHolder.getContext().getAuthentication();
        if (!SecondFactorRequirement.passwordOnly(signIn)) {
            return signedIn(signIn) ? "redirect:" + continueTo(request, response) : "redirect:/login";
        }
        boolean recovery = recoveryCode != null;
        String factor = recovery ? Factors.RECOVERY_CODE : Factors.TOTP;
        SecondFactors.Outcome outcome = recovery
                ? secondFactors.proveRecoveryCode(signIn.getName(), recoveryCode, request.getRemoteAddr())
                : secondFactors.proveTotp(signIn.getName(), code, request.getRemoteAddr());
        if (outcome == SecondFactors.Outcome.ACCEPTED) {
            SecondFactorSession.prove(request, response, factor, secondFactors.now());
            return "redirect:" + continueTo(request, response);
        }
        response.setStatus(outcome == SecondFactors.Outcome.LOCKED ? HttpStatus.TOO_MANY_REQUESTS.value()
                : HttpStatus.UNAUTHORIZED.value());
        return page(model, requirement.enrolled(signIn.getName()), recovery,
                outcome == SecondFactors.Outcome.LOCKED ? "secondfactor.error.locked"
                        : recovery ? "secondfactor.error.recovery" : "secondfactor.error.code");
    }

    private static String page(Model model, java.util.Set<String> enrolled, boolean recovery, String error) {
        model.addAttribute("totpAvailable", enrolled.contains(Factors.TOTP));
        model.addAttribute("recoveryAvailable", enrolled.contains(Factors.RECOVERY_CODE));
        model.addAttribute("passkeyAvailable", enrolled.contains(Factors.WEBAUTHN));
        model.addAttribute("recovery", recovery && enrolled.contains(Factors.RECOVERY_CODE));
        model.addAttribute("error", error);
        return "secondfactor/login";
    }

    private static boolean signedIn(Authentication signIn) {
        return signIn != null && signIn.isAuthenticated()
                && !(signIn instanceof org.springframework.security.authentication.AnonymousAuthenticationToken);
    }

    /**
     * The saved request, or home. As after the password (SavedRequestAwareAuthenticationSuccessHandler):
     * the saved request's URL carries {@code continue}, and RequestCacheAwareFilter takes it from the
     * session when the browser arrives there.
     */
    String continueTo(HttpServletRequest request, HttpServletResponse response) {
        SavedRequest saved = savedRequests.getRequest(request, response);
        return saved == null ? "/" : saved.getRedirectUrl();
    }
}
