package dev.ostiary.text;

import java.time.Duration;
import java.util.Locale;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language of a page: the one the user chose with the switch (a cookie), else the best the
 * browser's {@code Accept-Language} asks for, else English. Only supported languages ever come out,
 * whatever the cookie or header says, so {@code <html lang>} and the bundles always agree.
 *
 * <p>The choice is a cookie, not a session attribute: it is wanted before sign-in, survives sign-out,
 * and costs the session store nothing. It holds no secret; HttpOnly because no script needs it,
 * SameSite=Lax like the session cookie.
 */
public class LanguageResolver implements LocaleResolver {

    public static final String COOKIE = "ostiary_lang";
    static final Duration COOKIE_LIFETIME = Duration.ofDays(365);
    /** The language chosen in this very request, so the page it renders is already in it. */
    private static final String CHOSEN = LanguageResolver.class.getName() + ".CHOSEN";

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        if (request.getAttribute(CHOSEN) instanceof Locale chosen) {
            return chosen;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName())) {
                    var supported = Languages.supported(cookie.getValue());
                    if (supported.isPresent()) {
                        return supported.get();
                    }
                }
            }
        }
        return Languages.forAcceptLanguage(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
    }

    /** Remembers a supported language; anything else (null included) is ignored, never an error. */
    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        if (locale == null) {
            return;
        }
        var supported = Languages.supported(locale.toLanguageTag());
        if (supported.isEmpty()) {
            return;
        }
        request.setAttribute(CHOSEN, supported.get());
        String path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, supported.get().getLanguage())
                .path(path).maxAge(COOKIE_LIFETIME).httpOnly(true).sameSite("Lax").secure(request.isSecure())
                .build().toString());
    }
}
