package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.ServerTest;

/**
 * Every page of the sign-in, consent, account, device and logout flows in Chromium, in each
 * language, checked by axe-core (WCAG 2.1 A/AA and best practices: no serious or critical
 * violation), with {@code <html lang>} the page's language and no message key left untranslated.
 */
class PagesAccessibilityTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;
    private String language;

    /**
     * The client's page at the callback. Only the address matters here (the browser shows it even
     * when nothing answers), so a callback server another test run holds on the port is fine too.
     */
    @BeforeAll
    static void startClient() throws Exception {
        try {
            callbacks = CallbackServer.start();
        } catch (java.net.BindException taken) {
            callbacks = null;
        }
    }

    @AfterAll
    static void stopClient() {
        if (callbacks != null) {
            callbacks.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        jdbc.sql("delete from failure_counter where key like 'user_code:%'").update();
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "de" })
    void whenEveryPageIsShownThenAxeFindsNothingSeriousInEitherLanguage(String lang) throws Exception {
        language = lang;
        String user = newUser("USER");

        // login, then login with an error; the language is chosen on the first page and sticks
        browser.get(baseUrl() + "/login?lang=" + lang);
        waitFor(By.id("username"));
        check("login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.cssSelector(".alert[role=alert]"));
        check("login-error");

        // an authorization request: the login page names the client, then the consent page
        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK)
                .scope(new Scope("openid", "profile", "read")).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI().toString());
        waitFor(By.id("username"));
        check("login-client");
        phone("login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("submit-consent"));
        check("consent");
        phone("consent");
        browser.findElement(By.id("submit-consent")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));

        open("/account/consents", By.cssSelector("table.list"));
        check("consents");
        open("/", By.id("sign-out-everywhere"));
        check("home");

        // My applications: empty, the form, the form with errors, created (secret shown once), the list
        open("/account/applications", By.id("new-application"));
        check("applications-empty");
        browser.findElement(By.id("new-application")).click();
        waitFor(By.id("client-name"));
        check("application-form");
        browser.findElement(By.id("client-name")).sendKeys("Accessible app " + lang); // names are unique per server
        browser.findElement(By.id("redirect-uris")).sendKeys("http://shop.example/callback");
        browser.findElement(By.id("save-application")).click();
        waitFor(By.cssSelector(".field-error"));
        check("application-form-errors");
        browser.findElement(By.id("redirect-uris")).clear();
        browser.findElement(By.id("redirect-uris")).sendKeys("https://shop.example/callback");
        browser.findElement(By.id("save-application")).click();
        waitFor(By.id("client-secret"));
        check("application-created");
        browser.findElement(By.id("back-to-applications")).click();
        waitFor(By.cssSelector(".app-list"));
        check("applications");

        // the device flow: code entry (and its error), consent, denied; connected (after it, the
        // client's consent is stored and a second device might not be asked)
        DeviceAuthorizationSuccessResponse denied = deviceAuthorization();
        browser.get(denied.getVerificationURIComplete().toString());
        waitFor(By.id("activate-submit"));
        check("activate");
        browser.findElement(By.id("activate-submit")).click();
        waitFor(By.id("cancel-consent"));
        check("activate-consent");
        browser.findElement(By.id("cancel-consent")).click();
        waitFor(By.id("activate-result"));
        check("activate-denied");
        DeviceAuthorizationSuccessResponse device = deviceAuthorization();
        browser.get(device.getVerificationURIComplete().toString());
        waitFor(By.id("activate-submit"));
        browser.findElement(By.id("activate-submit")).click();
        waitFor(By.id("submit-consent"));
        browser.findElement(By.id("submit-consent")).click();
        waitFor(By.id("activate-result"));
        check("activate-connected");
        open("/activate?error=invalid", By.id("activate-error"));
        check("activate-error");

        // an authorization request that cannot go back to its client: the error page
        open("/oauth2/authorize?response_type=code&client_id=nobody", By.tagName("h1"));
        check("error");

        // logout: the confirmation, then signed out
        open("/logout/confirm", By.id("confirm-logout"));
        check("logout-confirm");
        browser.findElement(By.id("confirm-logout")).click();
        waitFor(By.id("signed-out"));
        check("signed-out");
    }

    /**
     * The switch on the login page of an authorization request keeps the request: it lives in the
     * session (the saved request), and the link changes only the language.
     */
    @org.junit.jupiter.api.Test
    void whenTheLanguageIsSwitchedOnTheLoginPageThenTheAuthorizationRequestCarriesOn() throws Exception {
        String user = newUser("USER");
        State state = new State();
        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK)
                .scope(new Scope("openid", "read")).state(state)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI().toString());
        waitFor(By.id("lang-de"));
        assertThat(browser.findElement(By.id("lang-en")).getAttribute("aria-current")).isEqualTo("true");
        browser.findElement(By.id("lang-de")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "de".equals(
                d.findElement(By.tagName("html")).getAttribute("lang")));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Anmelden", "weiter zu Demo web app",
                "Benutzername");
        assertThat(browser.findElement(By.id("lang-de")).getAttribute("aria-current")).isEqualTo("true");
        assertThat(browser.findElement(By.id("lang-en")).getAttribute("aria-current")).isNull();
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waitFor(By.id("submit-consent"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Demo web app möchte auf Ihr Konto zugreifen");
        // switching back on the consent page keeps client_id and state: the same consent, in English
        browser.findElement(By.id("lang-en")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "en".equals(
                d.findElement(By.tagName("html")).getAttribute("lang")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Demo web app wants access to your account");
        browser.findElement(By.id("lang-de")).click();
        waitFor(By.cssSelector("html[lang=de] #submit-consent"));
        assertThat(browser.findElement(By.id("submit-consent")).getText()).isEqualTo("Erlauben");
        browser.findElement(By.id("submit-consent")).click();

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        com.nimbusds.oauth2.sdk.AuthorizationResponse response = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(
                URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
    }

    private void open(String path, By element) {
        browser.get(baseUrl() + path);
        waitFor(element);
    }

    /** The page now shown: in the chosen language, every text translated, nothing serious for axe. */
    private void check(String page) {
        // A page can still be replacing itself when the element waited for appears (Chrome commits the
        // document of a redirect's target before the load ends): wait for a loaded document, and read it
        // again if it was replaced under a lookup, so the checks always run on one settled page.
        for (int attempt = 1;; attempt++) {
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "complete".equals(
                    ((JavascriptExecutor) d).executeScript("return document.readyState")));
            try {
                checkSettled(page);
                return;
            } catch (StaleElementReferenceException replaced) {
                if (attempt == 3) {
                    throw replaced;
                }
            }
        }
    }

    private void checkSettled(String page) {
        Accessibility.assertTranslatedAndAccessible(browser, language, page);
        Browser.screenshot(browser, "a11y-" + page + "-" + language);
    }

    /** The page at phone width too, for people to look at; axe again, since the layout changes. */
    private void phone(String page) {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            Accessibility.assertNoSeriousViolations(browser);
            Browser.screenshot(browser, "a11y-" + page + "-" + language + "-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1100, 900));
        }
    }

    private void waitFor(By element) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(element));
    }

    private DeviceAuthorizationSuccessResponse deviceAuthorization() throws Exception {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                uri("/oauth2/device_authorization"), new ClientID("demo-tv"), new Scope("read")).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("%s", response).isTrue();
        return response.toSuccessResponse();
    }
}
