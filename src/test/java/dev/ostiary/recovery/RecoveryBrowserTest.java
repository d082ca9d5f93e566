package dev.ostiary.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

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

/**
 * Recovery, registration and the profile page in Chromium, links read from mails GreenMail received:
 * every page checked with axe-core, and photographed at desktop and phone width.
 */
class RecoveryBrowserTest extends MailServerTest {

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

    private void waitFor(String id) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    /** axe-core, then a screenshot at 1100x900 and 390x844 (the window is left at desktop size). */
    private void checkPage(String name) {
        Accessibility.assertNoSeriousViolations(browser);
        browser.manage().window().setSize(new Dimension(1100, 900));
        Browser.screenshot(browser, name + "-desktop");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, name + "-phone");
        Accessibility.assertNoSeriousViolations(browser);
        browser.manage().window().setSize(new Dimension(1100, 900));
    }

    private void signIn(String username, String password) {
        browser.get(baseUrl() + "/login");
        waitFor("username");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
    }

    @Test
    void whenPasswordForgottenThenTheMailedLinkSetsANewOneAndItSignsIn() {
        String user = userWithEmail();
        browser.get(baseUrl() + "/login");
        waitFor("forgot-password");
        browser.findElement(By.id("forgot-password")).click();
        waitFor("identifier");
        checkPage("recovery-forgot-password");
        browser.findElement(By.id("identifier")).sendKeys(user, Keys.ENTER);
        waitFor("link-sent");
        checkPage("recovery-forgot-password-sent");

        browser.get(link(awaitMail(user + "@example.test", 1)));
        waitFor("password");
        checkPage("recovery-reset-password");
        browser.findElement(By.id("password")).sendKeys("browser-new-pw");
        browser.findElement(By.id("confirm")).sendKeys("browser-new-pw-typo", Keys.ENTER);
        waitFor("password-error");
        checkPage("recovery-reset-password-error");
        browser.findElement(By.id("password")).sendKeys("browser-new-pw");
        browser.findElement(By.id("confirm")).sendKeys("browser-new-pw", Keys.ENTER);
        waitFor("password-changed");
        checkPage("recovery-reset-done");

        signIn(user, "browser-new-pw");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().contains("/login"));
        browser.get(baseUrl() + "/reset-password?token=" + "A".repeat(43));
        waitFor("link-refused");
        checkPage("recovery-link-invalid");
    }

    @Test
    void whenSomeoneRegistersThenTheAccountWorksOnlyAfterTheMailedLinkIsConfirmed() throws Exception {
        String name = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        String address = name + "@example.test";
        browser.get(baseUrl() + "/login");
        waitFor("create-account");
        browser.findElement(By.id("create-account")).click();
        waitFor("email");
        checkPage("signup-register");
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("email")).sendKeys("not-an-address");
        browser.findElement(By.id("password")).sendKeys("register-pw");
        browser.findElement(By.id("confirm")).sendKeys("register-pw", Keys.ENTER);
        waitFor("email-error");
        checkPage("signup-register-error");
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys(address.toUpperCase());
        browser.findElement(By.id("password")).sendKeys("register-pw");
        browser.findElement(By.id("confirm")).sendKeys("register-pw", Keys.ENTER);
        waitFor("link-sent");
        checkPage("signup-register-sent");

        MimeMessage mail = awaitMail(address, 1);
        assertThat(mail.getSubject()).isEqualTo("Confirm your Ostiary account");
        // not yet confirmed: the account exists but cannot sign in
        signIn(name, "register-pw");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("error"));
        assertThat(jdbc.sql("select enabled from app_user where username = ?").param(name).query(Boolean.class)
                .single()).isFalse();

        browser.get(link(mail));
        waitFor("confirm-email");
        checkPage("recovery-verify-email");
        browser.findElement(By.id("confirm-email")).click();
        waitFor("email-verified");
        checkPage("recovery-verify-done");
        signIn(name, "register-pw");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().contains("/login"));
        assertThat(jdbc.sql("select role from user_role r join app_user u on u.id = r.user_id where u.username = ?")
                .param(name).query(String.class).list()).containsExactly("USER");
    }

    @Test
    void whenAnAddressIsTakenThenTheRegistrationAnswersTheSameAndTheOwnerIsTold() throws Exception {
        String owner = userWithEmail();
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/register");
        var taken = client.post("/register", java.util.Map.of("username", "other-" + owner,
                "email", owner + "@example.test", "password", "register-pw", "confirm", "register-pw"));
        String fresh = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        client.get("/register");
        var free = client.post("/register", java.util.Map.of("username", fresh, "email", fresh + "@example.test",
                "password", "register-pw", "confirm", "register-pw"));
        assertThat(taken.statusCode()).isEqualTo(free.statusCode()).isEqualTo(200);
        assertThat(taken.body().replaceAll("value=\"[^\"]+\"", ""))
                .isEqualTo(free.body().replaceAll("value=\"[^\"]+\"", ""));
        MimeMessage told = awaitMail(owner + "@example.test", 1);
        assertThat(told.getSubject()).isEqualTo("Someone tried to register with your e-mail address");
        assertThat(body(told)).doesNotContain("token=");
        awaitMail(fresh + "@example.test", 1);
        assertThat(jdbc.sql("select count(*) from app_user where username = ?").param("other-" + owner)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void whenTheProfileChangesTheAddressThenOnlyTheConfirmedNewAddressIsUsed() {
        String user = userWithEmail();
        String newAddress = "new-" + user + "@example.test";
        signIn(user, "password");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().contains("/login"));
        browser.get(baseUrl() + "/account/profile");
        waitFor("profile-email");
        assertThat(browser.findElement(By.id("profile-email")).getText()).isEqualTo(user + "@example.test");
        checkPage("recovery-profile");
        browser.findElement(By.id("email")).sendKeys(newAddress);
        browser.findElement(By.id("current-password")).sendKeys("wrong-password", Keys.ENTER);
        waitFor("password-error");
        checkPage("recovery-profile-error");
        browser.findElement(By.id("current-password")).sendKeys("password", Keys.ENTER);
        waitFor("link-sent");
        assertThat(browser.findElement(By.id("profile-email")).getText()).isEqualTo(user + "@example.test");

        browser.get(link(awaitMail(newAddress, 1)));
        waitFor("confirm-email");
        browser.findElement(By.id("confirm-email")).click();
        waitFor("email-verified");
        browser.get(baseUrl() + "/account/profile");
        waitFor("profile-email");
        assertThat(browser.findElement(By.id("profile-email")).getText()).isEqualTo(newAddress);
        assertThat(browser.findElement(By.id("email-status")).getText()).isEqualTo("confirmed");
    }

    @Test
    void whenTheDevMailPageIsOpenedFromThisMachineThenItIsAccessible() {
        // with an SMTP server configured nothing is kept: the page is empty, but there
        browser.get(baseUrl() + "/dev/mail");
        waitFor("no-mail");
        checkPage("mail-dev-mail");
    }
}
