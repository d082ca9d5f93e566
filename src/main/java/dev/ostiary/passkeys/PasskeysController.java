package dev.ostiary.passkeys;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /account/passkeys}: the signed-in user's passkeys (label, created, last used), rename,
 * remove after a confirmation page, and "Add a passkey" (the registration ceremony itself is
 * Spring's {@code /webauthn/register/options} and {@code /webauthn/register}, driven by
 * {@code /js/passkeys.js}). Plain forms with CSRF tokens for everything but the ceremony.
 */
@Controller
class PasskeysController {

    static final String PAGE = "/account/passkeys";

    private final AccountPasskeys passkeys;
    private final HttpSessionRequestCache savedRequests = new HttpSessionRequestCache();

    PasskeysController(AccountPasskeys passkeys) {
        this.passkeys = passkeys;
    }

    /** A passkey as the page shows it: its times in the reader's language, in UTC (the server knows no zone). */
    record Row(String id, String label, Instant created, String createdText, Instant lastUsed, String lastUsedText) {

        static Row of(AccountPasskeys.Passkey passkey, Locale locale) {
            DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                    .withLocale(locale).withZone(ZoneOffset.UTC);
            return new Row(passkey.id(), passkey.label(), passkey.created(),
                    passkey.created() == null ? "" : format.format(passkey.created()) + " UTC", passkey.lastUsed(),
                    passkey.lastUsed() == null ? null : format.format(passkey.lastUsed()) + " UTC");
        }
    }

    private List<Row> rows(String username, Locale locale) {
        return passkeys.of(username).stream().map(passkey -> Row.of(passkey, locale)).toList();
    }

    @GetMapping(PAGE)
    String list(Principal user, HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        var list = rows(user.getName(), locale);
        model.addAttribute("username", user.getName());
        model.addAttribute("passkeys", list);
        boolean firstUse = request.getParameter("first-use") != null;
        model.addAttribute("firstUse", firstUse);
        model.addAttribute("enrolmentRequired", passkeys.enrolmentRequired(user.getName()));
        if (firstUse && !list.isEmpty()) {
            SavedRequest saved = savedRequests.getRequest(request, response);
            model.addAttribute("continueUrl", saved == null ? "/account" : saved.getRedirectUrl());
        }
        model.addAttribute("maxLabel", AccountPasskeys.MAX_LABEL);
        return "passkeys/list";
    }

    @PostMapping(PAGE + "/rename")
    String rename(Principal user, @RequestParam("id") String id, @RequestParam("label") String label,
            Model model, HttpServletResponse response, RedirectAttributes redirect, Locale locale) {
        String trimmed = label.strip();
        if (trimmed.isEmpty() || trimmed.length() > AccountPasskeys.MAX_LABEL) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            var list = rows(user.getName(), locale);
            model.addAttribute("username", user.getName());
            model.addAttribute("passkeys", list);
            model.addAttribute("firstUse", false);
            model.addAttribute("enrolmentRequired", false);
            model.addAttribute("maxLabel", AccountPasskeys.MAX_LABEL);
            model.addAttribute("renameError", id);
            return "passkeys/list";
        }
        if (!passkeys.rename(user.getName(), id, trimmed)) {
            return notFound(response);
        }
        redirect.addFlashAttribute("renamed", trimmed);
        return "redirect:" + PAGE;
    }

    @GetMapping(PAGE + "/remove")
    String confirmRemove(Principal user, @RequestParam("id") String id, Model model, HttpServletResponse response) {
        var passkey = passkeys.find(user.getName(), id);
        if (passkey.isEmpty()) {
            return notFound(response);
        }
        model.addAttribute("passkey", passkey.get());
        return "passkeys/remove";
    }

    @PostMapping(PAGE + "/remove")
    String remove(Principal user, @RequestParam("id") String id, HttpServletResponse response,
            RedirectAttributes redirect) {
        var removed = passkeys.remove(user.getName(), id);
        if (removed.isEmpty()) {
            return notFound(response);
        }
        redirect.addFlashAttribute("removed", removed.get());
        return "redirect:" + PAGE;
    }

    /** The same answer for another user's passkey as for one that does not exist. */
    private static String notFound(HttpServletResponse response) {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        return "passkeys/not-found";
    }
}
