package dev.ostiary.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which language a request gets, and what the choice cookie looks like. */
@Tag("unit")
class LanguagesTest {

    private final LanguageResolver resolver = new LanguageResolver();

    @Test
    void whenAcceptLanguageAsksForGermanThenGerman() {
        assertThat(Languages.forAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).isEqualTo(Locale.GERMAN);
        assertThat(Languages.forAcceptLanguage("fr-CH, fr;q=0.9, de;q=0.7, en;q=0.3")).isEqualTo(Locale.GERMAN);
        assertThat(Languages.forAcceptLanguage("de-AT")).isEqualTo(Locale.GERMAN);
    }

    @Test
    void whenAcceptLanguagePrefersEnglishOrNothingSupportedThenEnglish() {
        assertThat(Languages.forAcceptLanguage("en;q=0.9,de;q=0.8")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage("fr, it")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage("*")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage(null)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void whenAcceptLanguageIsMalformedOrHugeThenEnglish() {
        assertThat(Languages.forAcceptLanguage("de;q=2")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage("!!!;q=abc,,;")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage("de-" + "x".repeat(50))).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.forAcceptLanguage("de," + "en;q=0.1,".repeat(100))).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void whenTagIsSupportedThenItsLanguageElseNone() {
        assertThat(Languages.supported("de")).contains(Locale.GERMAN);
        assertThat(Languages.supported("DE")).contains(Locale.GERMAN);
        assertThat(Languages.supported("de_CH")).contains(Locale.GERMAN);
        assertThat(Languages.supported("en-GB")).contains(Locale.ENGLISH);
        assertThat(Languages.supported("xx")).isEmpty();
        assertThat(Languages.supported("")).isEmpty();
        assertThat(Languages.supported("\u0000de")).isEmpty();
        assertThat(Languages.supported("d".repeat(100))).isEmpty();
    }

    @Test
    void whenCookieHoldsASupportedChoiceThenItWinsOverAcceptLanguage() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Accept-Language", "de");
        request.setCookies(new Cookie(LanguageResolver.COOKIE, "en"));
        assertThat(resolver.resolveLocale(request)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void whenCookieHoldsAnythingElseThenAcceptLanguageDecides() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Accept-Language", "de");
        request.setCookies(new Cookie(LanguageResolver.COOKIE, "xx"));
        assertThat(resolver.resolveLocale(request)).isEqualTo(Locale.GERMAN);
    }

    @Test
    void whenChosenThenCookieIsHttpOnlyLaxAndTheSameRequestUsesIt() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Accept-Language", "en");
        MockHttpServletResponse response = new MockHttpServletResponse();
        resolver.setLocale(request, response, Locale.forLanguageTag("de-CH"));
        assertThat(response.getHeader("Set-Cookie")).startsWith("ostiary_lang=de;").contains("Path=/", "HttpOnly",
                "SameSite=Lax", "Max-Age=31536000").doesNotContain("Secure");
        assertThat(resolver.resolveLocale(request)).isEqualTo(Locale.GERMAN);
    }

    @Test
    void whenRequestIsSecureThenCookieIsSecure() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSecure(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        resolver.setLocale(request, response, Locale.ENGLISH);
        assertThat(response.getHeader("Set-Cookie")).contains("Secure");
    }

    @Test
    void whenChoiceIsUnsupportedThenNothingIsSet() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        MockHttpServletResponse response = new MockHttpServletResponse();
        resolver.setLocale(request, response, Locale.forLanguageTag("xx"));
        resolver.setLocale(request, response, null);
        assertThat(response.getHeader("Set-Cookie")).isNull();
        assertThat(resolver.resolveLocale(request)).isEqualTo(Locale.ENGLISH);
    }
}
