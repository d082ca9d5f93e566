package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;

/**
 * The pages link their stylesheet and scripts by their plain paths, and those are served; with
 * Spring's resource chain off (application.yml: it rewrote every link of every page, at a cost),
 * nothing rewrites a link, so a link and the file behind it cannot drift apart.
 */
class StaticResourcesTest extends ServerTest {

    private static final Pattern STYLESHEET = Pattern.compile("<link rel=\"stylesheet\" href=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("<form[^>]* action=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whenTheLoginPageIsShownThenItLinksTheStylesheetByItsPathAndTheStylesheetIsServed() throws Exception {
        String page = get("/login").body();

        Matcher stylesheet = STYLESHEET.matcher(page);
        assertThat(stylesheet.find()).as(page).isTrue();
        assertThat(stylesheet.group(1)).isEqualTo("/css/ostiary.css");
        Matcher form = FORM.matcher(page);
        assertThat(form.find()).as(page).isTrue();
        assertThat(form.group(1)).isEqualTo("/login");

        HttpResponse<String> css = get(stylesheet.group(1));
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(css.body()).isNotBlank();
    }

    @Test
    void whenAScriptIsAskedForThenItIsServedAsJavaScript() throws Exception {
        HttpResponse<String> script = get("/js/passkeys.js");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
