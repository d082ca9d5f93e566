package dev.ostiary.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.TotpCodes;

/**
 * An operator's Chromium on the console, at desktop width, in one language: signing in as a browser
 * does (password, then the authenticator app's code, then the page first asked for), and the check every
 * console page passes: {@code <html lang>} of that language, no message key without a text, the language
 * switch marking it, nothing serious or critical for axe-core.
 */
final class ConsoleWalk implements AutoCloseable {

    private final String baseUrl;
    private final ChromeDriver browser;
    private final WebDriverWait wait;
    private String language = "en";

    private ConsoleWalk(String baseUrl) {
        this.baseUrl = baseUrl;
        this.browser = Browser.start();
        browser.manage().window().setSize(new Dimension(1280, 900));
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    static ConsoleWalk open(String baseUrl) {
        return new ConsoleWalk(baseUrl);
    }

    ChromeDriver browser() {
        return browser;
    }

    WebDriverWait waiting() {
        return wait;
    }

    /** The language later {@link #check}s expect; the page's own switch or the sign-in sets it for the server. */
    void expectLanguage(String language) {
        this.language = language;
    }

    /**
     * Chooses the language (a cookie, before signing in), opens {@code path}, is sent to sign in and to
     * the second-factor page, and waits until the saved request brings the browser back to {@code path}.
     */
    void signIn(String username, String totpSecret, String language, String path) {
        this.language = language;
        browser.get(baseUrl + "/login?lang=" + language);
        waitFor(By.id("username"));
        browser.get(baseUrl + path);
        wait.until(d -> d.getCurrentUrl().contains("/login"));
        waitFor(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains(SecondFactorStep.PAGE));
        waitFor(By.id("code")).sendKeys(TotpCodes.next(totpSecret, Clock.systemUTC()), Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains(path) && !d.getCurrentUrl().contains(SecondFactorStep.PAGE));
    }

    /** Files the browser downloads go to {@code directory} (Chromium's DevTools protocol; headless asks no one). */
    void downloadInto(Path directory) {
        browser.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", directory.toAbsolutePath().toString()));
    }

    /** Waits for a finished download in {@code directory} whose name ends with {@code suffix}. */
    Path awaitDownload(Path directory, String suffix) {
        Path[] found = new Path[1];
        wait.until(d -> {
            // Chromium writes into name.crdownload and renames it when the last byte is in
            try (Stream<Path> files = Files.list(directory)) {
                Optional<Path> done = files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst();
                done.ifPresent(f -> found[0] = f);
                return done.isPresent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return found[0];
    }

    /** The page now shown: in the chosen language, every text translated, nothing serious for axe. */
    void check(String page) {
        // a redirect's target can still be replacing itself when the element waited for appears:
        // wait for a loaded document, and read it again if it was replaced under a lookup
        for (int attempt = 1;; attempt++) {
            wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
            try {
                Accessibility.assertTranslatedAndAccessible(browser, language, page);
                return;
            } catch (StaleElementReferenceException replaced) {
                if (attempt == 3) {
                    throw replaced;
                }
            }
        }
    }

    /** Clicks what leads to another page and waits until the page it was on has gone ({@link Browser#follow}). */
    void follow(By element) {
        Browser.follow(browser, browser.findElement(element));
    }

    void follow(WebElement element) {
        Browser.follow(browser, element);
    }

    /**
     * Types {@code text} into a live list's filter field (its whole value replaced) and waits until htmx
     * has put in the results for it: a settled swap while the address bar says {@code name=text}. The page
     * must not have been replaced by another one meanwhile (the mark {@link Browser#follow} uses stays), and
     * htmx must have left no {@code <style>} of its own (the CSP would refuse it).
     */
    void typeLive(By field, String text) {
        WebElement input = browser.findElement(field);
        String param = input.getAttribute("name") + "="
                + java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
        browser.executeScript("""
                window.ostiaryLeaving = true;
                window.ostiarySettled = [];
                document.body.addEventListener('htmx:afterSettle', function () {
                  window.ostiarySettled.push(window.location.search);
                });""");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text.isEmpty() ? Keys.BACK_SPACE.toString() : text);
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("""
                var param = '&' + arguments[0] + '&';
                return window.ostiarySettled.some(function (search) {
                  return ('&' + search.substring(1) + '&').indexOf(param) >= 0;
                });""", param)));
        if (!Boolean.TRUE.equals(browser.executeScript(
                "return window.ostiaryLeaving === true && document.querySelectorAll('style').length === 0"))) {
            throw new AssertionError("the list was not updated in place under the CSP: " + browser.getCurrentUrl());
        }
    }

    WebElement waitFor(By element) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(element));
    }

    @Override
    public void close() {
        browser.quit();
    }
}
