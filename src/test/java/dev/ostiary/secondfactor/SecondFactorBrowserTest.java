package dev.ostiary.secondfactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TotpCodes;

/**
 * The authenticator app in Chromium: enrolment from the page's manual key, then an authorization code
 * flow that asks for the password, then the code, and lands at the client; the same with a recovery
 * code. Every page passes axe-core and is photographed at desktop and phone width.
 */
class SecondFactorBrowserTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void startClient() throws Exception {
        callbacks = CallbackServer.start();
    }

    @AfterAll
    static void stopClient() {
        callbacks.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void whenUserEnrolsThenTheCodeFlowAsksForPasswordAndCodeAndLandsAtTheClient() {
        String username = newUser("USER");
        String secret = enrol(username, true);
        List<String> codes = recoveryCodes();
        assertThat(codes).hasSize(10);
        browser.manage().deleteAllCookies();

        State state = new State();
        browser.get(authorizationRequest(state).toString());
        signIn(username);
        WebElement code = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        assertThat(browser.getCurrentUrl()).contains(SecondFactorStep.PAGE);
        assertThat(code.getAttribute("autocomplete")).isEqualTo("one-time-code");
        assertThat(code.getAttribute("inputmode")).isEqualTo("numeric");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Enter the 6-digit code from your authenticator app", "Use a recovery code instead",
                        "Cancel and sign out");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "second-factor-login");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "second-factor-login-phone");
        browser.manage().window().setSize(new Dimension(1100, 900));

        // a wrong code first: the error is announced and tied to the field
        browser.findElement(By.id("code")).sendKeys("000000".equals(TotpCodes.at(secret, java.time.Instant.now()))
                ? "111111" : "000000", Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code-error")));
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(browser.findElement(By.id("code")).getAttribute("aria-describedby")).isEqualTo("code-error");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "second-factor-login-error");

        browser.findElement(By.id("code")).sendKeys(TotpCodes.next(secret, Clock.systemUTC()), Keys.ENTER);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit-consent"))).click();
        wait.until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        AuthorizationResponse response = parse(browser.getCurrentUrl());
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);

        // a recovery code instead, in a new browser session: the consent is remembered, so straight to the client
        browser.get(baseUrl() + "/login");
        browser.manage().deleteAllCookies();
        State second = new State();
        browser.get(authorizationRequest(second).toString());
        signIn(username);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("use-recovery-code"))).click();
        WebElement recovery = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery_code")));
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "second-factor-recovery");
        recovery.sendKeys(codes.get(0), Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        assertThat(parse(browser.getCurrentUrl()).getState()).isEqualTo(second);

        // the account page now: nine codes left
        browser.get(baseUrl() + SecondFactorAccountController.PAGE);
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes-left"))).getText())
                .contains("9 recovery codes left");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "second-factor-account-enrolled");
    }

    /** Signs in with the password, enrols on the account page with the manual key read from it. */
    private String enrol(String username, boolean screenshots) {
        browser.get(baseUrl() + "/login");
        signIn(username);
        wait.until(d -> !d.getCurrentUrl().contains("/login"));
        browser.get(baseUrl() + SecondFactorAccountController.PAGE);
        String key = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("manual-key"))).getText();
        assertThat(browser.findElement(By.cssSelector(".qr-code svg")).isDisplayed()).isTrue();
        if (screenshots) {
            Accessibility.assertNoSeriousViolations(browser);
            Browser.screenshot(browser, "second-factor-enrol");
            browser.manage().window().setSize(new Dimension(390, 844));
            Browser.screenshot(browser, "second-factor-enrol-phone");
            browser.manage().window().setSize(new Dimension(1100, 900));
        }
        String secret = key.replace(" ", "");
        browser.findElement(By.id("code")).sendKeys(TotpCodes.next(secret, Clock.systemUTC()), Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes")));
        if (screenshots) {
            Accessibility.assertNoSeriousViolations(browser);
            Browser.screenshot(browser, "second-factor-recovery-codes");
            browser.manage().window().setSize(new Dimension(390, 844));
            Browser.screenshot(browser, "second-factor-recovery-codes-phone");
            browser.manage().window().setSize(new Dimension(1100, 900));
        }
        return secret;
    }

    private List<String> recoveryCodes() {
        List<String> codes = new ArrayList<>();
        for (WebElement code : browser.findElements(By.cssSelector("#recovery-codes code"))) {
            codes.add(code.getText());
        }
        return codes;
    }

    private void signIn(String username) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
    }

    private URI authorizationRequest(State state) {
        return new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize"))
                .redirectionURI(CALLBACK)
                .scope(new Scope("openid", "read"))
                .state(state)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .build().toURI();
    }

    private static AuthorizationResponse parse(String url) {
        try {
            return AuthorizationResponse.parse(URI.create(url));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(url, e);
        }
    }
}
