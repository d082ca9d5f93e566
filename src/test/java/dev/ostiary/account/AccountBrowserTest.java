package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * The account pages in Chromium: the hub reached from home, the password change (a wrong current
 * password, then the right one), and the sessions page with a second session (another cookie jar)
 * that is signed out from here and sent to log in on its next request. axe-core on every page and
 * state; screenshots at desktop (1100x900) and phone (390x844) width.
 */
class AccountBrowserTest extends ServerTest {

    private ChromeDriver browser;

    @BeforeEach
    void open() {
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void whenSignedInThenHomeLeadsToTheHubWithEverySection() {
        String user = newUser("USER");
        signIn(user, "/");
        browser.findElement(By.id("account-link")).click();
        waitFor(By.id("section-password"));
        assertThat(browser.getCurrentUrl()).endsWith("/account");
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("Signed in as " + user + ".");
        for (String section : new String[] { "profile", "password", "passkeys", "second-factor", "sessions",
                "consents", "applications" }) {
            assertThat(browser.findElement(By.id("section-" + section)).getAttribute("href"))
                    .endsWith("/account/" + section);
        }
        // no EnrolledFactors bean on this branch yet: nothing enrolled, so off
        assertThat(browser.findElement(By.id("second-factor-status")).getText()).isEqualTo("Off");
        assertThat(browser.findElement(By.id("section-sessions")).getText()).contains("1 active session");
        assertThat(browser.findElement(By.id("section-consents")).getText()).contains("No application has access");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "account-hub");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "account-hub-phone");

        // the existing account pages lead back
        browser.findElement(By.id("section-consents")).click();
        waitFor(By.id("back-to-account")).click();
        waitFor(By.id("section-password"));
    }

    @Test
    void whenPasswordIsChangedThenWrongCurrentIsExplainedAndTheRightOneChangesIt() {
        String user = newUser("USER");
        signIn(user, "/account/password");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "account-password");

        browser.findElement(By.id("current_password")).sendKeys("not-my-password");
        browser.findElement(By.id("new_password")).sendKeys("a-new-password");
        browser.findElement(By.id("confirm_password")).sendKeys("a-new-password", Keys.ENTER);
        waitFor(By.id("password-error"));
        assertThat(browser.findElement(By.id("password-error")).getText()).isEqualTo("The current password is not correct.");
        assertThat(browser.findElement(By.id("current_password")).getAttribute("aria-describedby")).isEqualTo("password-error");
        assertThat(browser.findElement(By.id("current_password")).getAttribute("value")).as("never echoed").isEmpty();
        assertThat(browser.findElement(By.id("new_password")).getAttribute("value")).isEmpty();
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "account-password-error");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "account-password-error-phone");

        browser.findElement(By.id("current_password")).sendKeys("password");
        browser.findElement(By.id("new_password")).sendKeys("a-new-password");
        browser.findElement(By.id("confirm_password")).sendKeys("a-new-password");
        browser.findElement(By.id("change-password")).click();
        waitFor(By.id("password-changed"));
        Accessibility.assertNoSeriousViolations(browser);
        // still signed in, under a new session
        browser.findElement(By.id("back-to-account")).click();
        waitFor(By.id("section-password"));
    }

    @Test
    void whenAnotherSessionIsSignedOutThenItsNextRequestGoesToLogin() throws Exception {
        String user = newUser("USER");
        UserAgent phone = new UserAgent(baseUrl());
        assertThat(UserAgent.location(phone.login(user, "password"))).doesNotContain("error");
        signIn(user, "/account/sessions");
        assertThat(browser.findElement(By.id("session-current")).getText()).contains("Chrome on Linux", "This device");
        assertThat(browser.findElements(By.cssSelector(".session-list li"))).hasSize(2);
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "account-sessions");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "account-sessions-phone");
        browser.manage().window().setSize(new Dimension(1100, 900));

        browser.findElement(By.cssSelector(".session-list button.danger")).click();
        waitFor(By.id("session-ended"));
        assertThat(browser.findElements(By.cssSelector(".session-list li"))).hasSize(1);
        Accessibility.assertNoSeriousViolations(browser);

        assertThat(UserAgent.location(phone.get("/account"))).contains("/login");
        browser.get(baseUrl() + "/account");
        waitFor(By.id("section-sessions"));
    }

    private void signIn(String user, String path) {
        browser.get(baseUrl() + path);
        waitFor(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.not(
                ExpectedConditions.urlContains("/login")));
    }

    private org.openqa.selenium.WebElement waitFor(By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(locator));
    }
}
