package dev.ostiary.secondfactor;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.ostiary.login.Factors;

/**
 * {@code /account/second-factor}: set up an authenticator app (QR code and manual key of a fresh
 * 160-bit secret; done when the user enters a first valid code), see how many recovery codes are
 * left, get new ones, turn the second factor off. Changes need a current code (or a recovery code),
 * so a session left open does not let someone else remove or replace the factor. Recovery codes are
 * shown once, in the answer to the POST that made them ({@code no-store}), never kept in the session.
 */
@Controller
class SecondFactorAccountController {

    static final String PAGE = "/account/second-factor";

    private final SecondFactors secondFactors;
    private final MessageSource messages;

    SecondFactorAccountController(SecondFactors secondFactors, MessageSource messages) {
        this.secondFactors = secondFactors;
        this.messages = messages;
    }

    @GetMapping(PAGE)
    String page(Authentication user, Model model, @RequestParam(name = "disabled", required = false) String disabled) {
        model.addAttribute("disabled", disabled != null);
        return render(user, model, null);
    }

    @PostMapping(PAGE + "/confirm")
    String confirm(Authentication user, @RequestParam(name = "code", required = false) String code, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        SecondFactors.Codes result = secondFactors.confirmEnrolment(user.getName(), code, request.getRemoteAddr());
        if (result.outcome() != SecondFactors.Outcome.ACCEPTED) {
            response.setStatus(status(result.outcome()));
            return render(user, model, error(result.outcome(), "secondfactor.error.code"));
        }
        // the code just entered proves the factor for this session too: R1 now applies to it
        SecondFactorSession.prove(request, response, Factors.TOTP, secondFactors.now());
        return recoveryCodes(model, result.recoveryCodes(), true, response);
    }

    @PostMapping(PAGE + "/recovery-codes")
    String regenerate(Authentication user, @RequestParam(name = "code", required = false) String code, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        SecondFactors.Codes result = secondFactors.regenerateRecoveryCodes(user.getName(), code,
                request.getRemoteAddr());
        if (result.outcome() != SecondFactors.Outcome.ACCEPTED) {
            response.setStatus(status(result.outcome()));
            return render(user, model, error(result.outcome(), "secondfactor.error.either"));
        }
        return recoveryCodes(model, result.recoveryCodes(), false, response);
    }

    @PostMapping(PAGE + "/disable")
    String disable(Authentication user, @RequestParam(name = "code", required = false) String code, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        SecondFactors.Outcome outcome = secondFactors.disable(user.getName(), code, request.getRemoteAddr());
        if (outcome != SecondFactors.Outcome.ACCEPTED) {
            response.setStatus(status(outcome));
            return render(user, model, error(outcome, "secondfactor.error.either"));
        }
        return "redirect:" + PAGE + "?disabled";
    }

    private String render(Authentication user, Model model, String error) {
        model.addAttribute("username", user.getName());
        model.addAttribute("error", error);
        var enrolment = secondFactors.pendingEnrolment(user.getName());
        model.addAttribute("enrolled", enrolment.isEmpty());
        enrolment.ifPresent(pending -> {
            model.addAttribute("enrolment", pending);
            model.addAttribute("qr", QrCodes.svg(pending.uri(), messages.getMessage("secondfactor.enrol.qr.label",
                    null, LocaleContextHolder.getLocale())));
        });
        if (enrolment.isEmpty()) {
            model.addAttribute("recoveryCodesLeft", secondFactors.recoveryCodesLeft(user.getName()));
        }
        return "secondfactor/account";
    }

    private static String recoveryCodes(Model model, List<String> codes, boolean enrolled,
            HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("codes", codes);
        model.addAttribute("justEnrolled", enrolled);
        return "secondfactor/recovery-codes";
    }

    private static String error(SecondFactors.Outcome outcome, String wrong) {
        return outcome == SecondFactors.Outcome.LOCKED ? "secondfactor.error.locked" : wrong;
    }

    private static int status(SecondFactors.Outcome outcome) {
        return outcome == SecondFactors.Outcome.LOCKED ? HttpStatus.TOO_MANY_REQUESTS.value()
                : HttpStatus.BAD_REQUEST.value();
    }
}
