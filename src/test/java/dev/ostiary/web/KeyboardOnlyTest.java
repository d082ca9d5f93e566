package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.ServerTest;

/**
 * Sign-in and consent with the keyboard alone (WCAG 2.1.1 Keyboard, 2.4.3 Focus Order, 2.4.7 Focus
 * Visible): Tab moves through the page in reading order, typing goes into the focused field, Space
 * ticks a checkbox, Enter presses the focused button, and whatever has the focus shows it. No clicks.
 */
class KeyboardOnlyTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;

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
    }

    @Test
    void whenOnlyTheKeyboardIsUsedThenSignInAndConsentWorkWithVisibleFocus() {
        String user = newUser("USER");
        State state = new State();
        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK)
                .scope(new Scope("openid", "profile", "read")).state(state)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI().toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("username")));

        // the user name field has the focus on arrival (autofocus); before it comes only the home link
        assertThat(focused().getAttribute("id")).isEqualTo("username");
        new Actions(browser).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(describe(focused())).isEqualTo("a.brand");
        assertFocusVisible();
        press(Keys.TAB);
        assertThat(focused().getAttribute("id")).isEqualTo("username");
        assertFocusVisible();
        type(user);
        press(Keys.TAB);
        assertThat(focused().getAttribute("id")).isEqualTo("password");
        assertFocusVisible();
        type("password");
        press(Keys.TAB);
        assertThat(focused().getAttribute("type")).isEqualTo("submit");
        assertThat(focused().getText()).isEqualTo("Sign in");
        assertFocusVisible();
        press(Keys.ENTER);

        // consent: Tab through the choices to Deny and Allow; Space unticks profile; Enter allows
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("submit-consent")));
        List<String> order = new ArrayList<>();
        boolean unticked = false;
        for (int i = 0; i < 15 && !"submit-consent".equals(focused().getAttribute("id")); i++) {
            press(Keys.TAB);
            WebElement now = focused();
            order.add(describe(now));
            assertFocusVisible();
            if ("scope-profile".equals(now.getAttribute("id"))) {
                press(Keys.SPACE);
                unticked = true;
            }
        }
        assertThat(unticked).as("reached the profile checkbox: %s", order).isTrue();
        assertThat(browser.findElement(By.id("scope-profile")).isSelected()).isFalse();
        assertThat(order).as("focus order").containsSubsequence("scope-profile", "cancel-consent", "submit-consent");
        press(Keys.ENTER);

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        AuthorizationResponse response = parse(browser.getCurrentUrl());
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
    }

    private static AuthorizationResponse parse(String url) {
        try {
            return AuthorizationResponse.parse(URI.create(url));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String describe(WebElement element) {
        String id = element.getAttribute("id");
        return id == null || id.isEmpty() ? element.getTagName() + "." + element.getAttribute("class") : id;
    }

    private WebElement focused() {
        return browser.switchTo().activeElement();
    }

    /** Keys to whatever has the focus, as a keyboard sends them. */
    private void press(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private void type(String text) {
        focused().sendKeys(text);
    }

    /** The focused element draws an outline or a ring (WCAG 2.4.7), in a style the page sets. */
    private void assertFocusVisible() {
        WebElement element = focused();
        String outline = element.getCssValue("outline-style");
        String width = element.getCssValue("outline-width");
        String shadow = element.getCssValue("box-shadow");
        assertThat(!"none".equals(outline) && !"0px".equals(width) || !"none".equals(shadow))
                .as("focus visible on %s (outline %s %s, box-shadow %s)", describe(element), outline, width, shadow)
                .isTrue();
    }
}
