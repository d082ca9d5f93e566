package dev.ostiary.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The language switch in {@code fragments :: footer}: for every page, one link per language to the
 * same page with {@code lang=xx} and its other query parameters unchanged, so the consent page keeps
 * its {@code client_id} and {@code state} and the login page its saved authorization request (that
 * lives in the session, not in the link).
 *
 * <p>The links are relative ({@code ?…}): the browser resolves them against the address it shows,
 * which for an error page is the address that failed, so no path is read from the request here. A
 * page rendered for a POST (a form with errors, a secret shown once) gets no links: a GET of its
 * address would not show the same page.
 */
@ControllerAdvice
class LanguageSwitch {

    static final String PARAMETER = "lang";

    /** One entry of the switch. */
    record LanguageLink(String code, String name, String href, boolean current) {
    }

    @ModelAttribute("languageLinks")
    List<LanguageLink> languageLinks(HttpServletRequest request, Locale locale) {
        if (!"GET".equals(request.getMethod())) {
            return List.of();
        }
        String query = request.getDispatcherType() == DispatcherType.ERROR
                ? (String) request.getAttribute(RequestDispatcher.ERROR_QUERY_STRING)
                : request.getQueryString();
        List<String> kept = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty() && !pair.equals(PARAMETER) && !pair.startsWith(PARAMETER + "=")) {
                    kept.add(pair);
                }
            }
        }
        String others = kept.isEmpty() ? "" : String.join("&", kept) + "&";
        return Languages.SUPPORTED.stream().map(language -> new LanguageLink(language.code(), language.name(),
                "?" + others + PARAMETER + "=" + language.code(),
                language.locale().getLanguage().equals(locale.getLanguage()))).toList();
    }
}
