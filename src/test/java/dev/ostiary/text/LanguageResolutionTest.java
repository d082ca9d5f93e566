package dev.ostiary.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;

/**
 * The pages' language over HTTP, as browsers ask for it: {@code Accept-Language}, the {@code lang}
 * switch and its cookie. Nothing a client sends here is an error.
 */
class LanguageResolutionTest extends ServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> languageCookies(HttpResponse<?> response) {
        return response.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(LanguageResolver.COOKIE + "=")).toList();
    }

    @Test
    void whenAcceptLanguageIsGermanThenThePageIsGerman() throws Exception {
        HttpResponse<String> login = get("/login", "Accept-Language", "de-DE,de;q=0.9,en;q=0.8");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<html lang=\"de\">", "<title>Anmelden · Ostiary</title>", "Benutzername",
                "Passwort", "OAuth-2.0-Autorisierungsserver");
        assertThat(languageCookies(login)).as("nothing chosen, nothing remembered").isEmpty();

        HttpResponse<String> error = get("/oauth2/authorize?response_type=code&client_id=nobody", "Accept-Language",
                "de", "Accept", "text/html");
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.body()).contains("<html lang=\"de\">", "Diese Anmeldeanfrage kann nicht abgeschlossen werden",
                "Sie wurden nicht zur Anwendung zurückgeschickt", "href=\"?response_type=code&amp;client_id=nobody&amp;lang=en\"");
    }

    @Test
    void whenLangIsChosenThenItOverridesAcceptLanguageAndSticks() throws Exception {
        HttpResponse<String> chosen = get("/login?lang=en", "Accept-Language", "de");
        assertThat(chosen.statusCode()).isEqualTo(200);
        assertThat(chosen.body()).contains("<html lang=\"en\">", "Username");
        assertThat(languageCookies(chosen)).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("ostiary_lang=en;").contains("HttpOnly", "SameSite=Lax").doesNotContain("Secure"));

        HttpResponse<String> next = get("/logout/done", "Accept-Language", "de", "Cookie", "ostiary_lang=en");
        assertThat(next.body()).contains("<html lang=\"en\">", "You are signed out");

        HttpResponse<String> german = get("/logout/done?lang=de", "Cookie", "ostiary_lang=en");
        assertThat(german.body()).contains("<html lang=\"de\">", "Sie sind abgemeldet");
        assertThat(languageCookies(german)).singleElement().satisfies(c -> assertThat(c).startsWith("ostiary_lang=de;"));
    }

    @Test
    void whenLangIsUnsupportedThenItIsIgnored() throws Exception {
        for (String value : List.of("xx", "", "de%00", "%22%3E%3Cscript%3E", "d".repeat(300), "de&lang=xx")) {
            HttpResponse<String> page = get("/login?lang=" + value, "Accept-Language", "de");
            assertThat(page.statusCode()).as(value).isEqualTo(200);
            assertThat(page.body()).as(value).contains("<html lang=\"de\">").doesNotContain("<script>");
        }
        assertThat(languageCookies(get("/login?lang=xx"))).isEmpty();
        HttpResponse<String> tamperedCookie = get("/login", "Accept-Language", "de", "Cookie", "ostiary_lang=xx");
        assertThat(tamperedCookie.body()).contains("<html lang=\"de\">");
    }

    @Test
    void whenAcceptLanguageIsBogusThenEnglishNeverAnError() throws Exception {
        for (String header : List.of("!!!;q=abc", "de;q=2", "*", ";;,,", "q=0.5", "de-" + "x".repeat(80),
                "x".repeat(2000), "zz, yy;q=0.1")) {
            HttpResponse<String> page = get("/login", "Accept-Language", header);
            assertThat(page.statusCode()).as(header).isEqualTo(200);
            assertThat(page.body()).as(header).contains("<html lang=\"en\">", "Username");
        }
    }

    @Test
    void whenTheSwitchIsShownThenItKeepsTheOtherParametersAndMarksTheCurrentLanguage() throws Exception {
        HttpResponse<String> page = get("/logout/done?everywhere&lang=de&x=%26y");
        assertThat(page.body())
                .contains("href=\"?everywhere&amp;x=%26y&amp;lang=en\"", "href=\"?everywhere&amp;x=%26y&amp;lang=de\"")
                .containsPattern("<a [^>]*aria-current=\"true\"[^>]*>Deutsch</a>")
                .doesNotContainPattern("<a [^>]*aria-current=\"true\"[^>]*>English</a>")
                .contains("Sie sind auf allen Geräten abgemeldet");
    }

    @Test
    void whenLangIsChosenOnAnErrorPageThenTheErrorPageIsInItAndTheChoiceSticks() throws Exception {
        // error pages are rendered in the error dispatch: the switch there must work as on any page
        HttpResponse<String> refused = get("/oauth2/authorize?response_type=code&client_id=nobody&lang=de",
                "Accept-Language", "en", "Accept", "text/html");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<html lang=\"de\">", "Diese Anmeldeanfrage kann nicht abgeschlossen werden");
        assertThat(languageCookies(refused)).singleElement().satisfies(c -> assertThat(c).startsWith("ostiary_lang=de;"));

        HttpResponse<String> unsupported = get("/oauth2/authorize?response_type=code&client_id=nobody&lang=xx",
                "Accept-Language", "de", "Accept", "text/html");
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.body()).contains("<html lang=\"de\">");
        assertThat(languageCookies(unsupported)).isEmpty();
    }
}
