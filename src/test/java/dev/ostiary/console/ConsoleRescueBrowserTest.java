package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.recovery.MailServerTest;
import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.support.Browser;
import dev.ostiary.support.TotpCodes;

/**
 * An operator rescues an account in Chromium, with a real SMTP server: the member lost the phone that
 * held their authenticator app and their passkey. The member's own browser registered the passkey (a
 * virtual authenticator, which keeps it: the "lost" device). The operator sees both on the user's page,
 * removes each through its confirmation, mails a reset link and signs the phone's browser session out.
 * Then that browser is asked to sign in, the passkey signs in no more, the link from the mail sets a new
 * password, and that password alone signs the member in. Each job is in the audit trail with the
 * operator's name and the account as target.
 */
class ConsoleRescueBrowserTest extends MailServerTest {

    @Autowired
    private SecondFactors secondFactors;

    @Autowired
    private AuditTrail trail;

    @Test
    void whenAMemberLostTheirDevicesThenTheOperatorRemovesTheirFactorsAndTheMailedLinkLetsThemBackIn()
            throws Exception {
        String member = userWithEmail();
        Operator operator = new ConsoleOperators(secondFactors, this::newUser, baseUrl()).operator();
        ChromeDriver memberBrowser = Browser.start();
        try {
            WebDriverWait memberWait = new WebDriverWait(memberBrowser, Duration.ofSeconds(15));
            ((HasVirtualAuthenticator) memberBrowser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                    .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                    .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                    .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
            memberBrowser.get(baseUrl() + "/login");
            memberWait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(member);
            memberBrowser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
            memberWait.until(d -> !d.getCurrentUrl().contains("/login"));
            memberBrowser.get(baseUrl() + "/account/passkeys");
            memberWait.until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-label"))).sendKeys("Phone");
            memberBrowser.findElement(By.id("add-passkey")).click();
            memberWait.until(d -> d.getCurrentUrl().contains("added"));
            // and the authenticator app on the same phone
            String appSecret = secondFactors.pendingEnrolment(member).orElseThrow().secret();
            assertThat(secondFactors.confirmEnrolment(member, TotpCodes.next(appSecret, Clock.systemUTC()), "127.0.0.1")
                    .outcome()).isEqualTo(SecondFactors.Outcome.ACCEPTED);

            try (ConsoleWalk walk = ConsoleWalk.open(baseUrl())) {
                walk.signIn(operator.username(), operator.secret(), "en", "/admin/users/" + member);
                assertThat(walk.waitFor(By.id("username")).getText()).isEqualTo(member);
                assertThat(walk.browser().findElement(By.id("factors")).getText())
                        .contains("authenticator app", "1 passkey");
                walk.check("user-with-factors");
                // the whole page, for docs/console.md: desktop width, tall enough for every section
                walk.browser().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1700));
                Browser.screenshot(walk.browser(), "console-user-page-en");
                walk.browser().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

                walk.follow(By.id("remove-app"));
                assertThat(walk.waitFor(By.id("consequence")).getText()).isNotBlank();
                walk.check("confirm-remove-app");
                walk.follow(By.id("confirm"));
                walk.waitFor(By.id("done"));
                assertThat(walk.browser().findElements(By.id("remove-app"))).isEmpty();

                walk.follow(By.id("remove-passkeys"));
                assertThat(walk.waitFor(By.id("consequence")).getText()).isNotBlank();
                walk.check("confirm-remove-passkeys");
                walk.follow(By.id("confirm"));
                walk.waitFor(By.id("done"));
                assertThat(walk.browser().findElements(By.id("remove-passkeys"))).isEmpty();
                assertThat(walk.browser().findElement(By.id("factors")).getText()).isEqualTo("none");

                walk.follow(By.id("reset-link"));
                assertThat(walk.waitFor(By.id("done")).getText()).isNotBlank();
                walk.check("user-reset-link");

                // the lost phone's browser session: listed with its browser, signed out on its own
                assertThat(walk.browser().findElement(By.id("session-0")).getText()).contains("Chrome");
                walk.follow(By.id("end-session-0"));
                walk.waitFor(By.id("no-sessions"));
                assertThat(walk.browser().findElement(By.id("sessions")).getText()).isEqualTo("0");
                walk.check("user-session-ended");
            }

            // the member: that browser is sent to sign in, where the lost phone's passkey is refused
            memberBrowser.get(baseUrl() + "/account");
            memberWait.until(d -> d.getCurrentUrl().contains("/login"));
            memberWait.until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in"))).click();
            assertThat(memberWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-sign-in-error")))
                    .getText()).contains("did not work");
            // the link in the mail sets a new password, which signs in with no second factor asked
            memberBrowser.get(link(awaitMail(member + "@example.test", 1)));
            memberWait.until(ExpectedConditions.presenceOfElementLocated(By.id("password"))).sendKeys("rescued-password");
            memberBrowser.findElement(By.id("confirm")).sendKeys("rescued-password", Keys.ENTER);
            memberWait.until(ExpectedConditions.presenceOfElementLocated(By.id("password-changed")));
            memberBrowser.get(baseUrl() + "/login");
            memberWait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(member);
            memberBrowser.findElement(By.id("password")).sendKeys("rescued-password", Keys.ENTER);
            memberWait.until(d -> !d.getCurrentUrl().contains("/login"));
            assertThat(memberBrowser.getCurrentUrl()).doesNotContain(SecondFactorStep.PAGE);
        } finally {
            memberBrowser.quit();
        }

        trail.flushAll();
        assertThat(jdbc.sql("""
                select type || ' ' || coalesce(details->>'outcome', details->>'count', '-') from audit_event
                where username = ? and details->>'target' = ? order by id""")
                .params(operator.username(), member).query(String.class).list())
                .containsExactlyInAnyOrder("second_factor.disabled -", "passkey.removed 1", "recovery.reset_requested sent",
                        "logout.session_ended -");
    }

    /**
     * A live list's request after the console session ended on the server (the idle timeout, another
     * operator, a node that lost it) is answered with the sign-in page. The browser goes there rather than
     * showing an empty list, and signing in again brings it back to the list with what was typed.
     */
    @Test
    void whenTheConsoleSessionEndsUnderALiveListThenTheBrowserSignsInAndReturnsToTheSameFilter() {
        Operator operator = new ConsoleOperators(secondFactors, this::newUser, baseUrl()).operator();
        try (ConsoleWalk walk = ConsoleWalk.open(baseUrl())) {
            walk.signIn(operator.username(), operator.secret(), "en", "/admin/users");
            walk.typeLive(By.id("q"), operator.username());
            assertThat(walk.browser().findElements(By.cssSelector("#users tbody tr"))).hasSize(1);

            assertThat(jdbc.sql("delete from spring_session where principal_name = ?").param(operator.username())
                    .update()).isEqualTo(1);
            walk.browser().findElement(By.id("q")).sendKeys("-gone");
            walk.waiting().until(d -> d.getCurrentUrl().contains("/login"));
            walk.waitFor(By.id("username")).sendKeys(operator.username());
            walk.browser().findElement(By.id("password")).sendKeys("password", Keys.ENTER);
            walk.waiting().until(d -> d.getCurrentUrl().contains(SecondFactorStep.PAGE));
            walk.waitFor(By.id("code")).sendKeys(TotpCodes.next(operator.secret(), Clock.systemUTC()), Keys.ENTER);
            walk.waiting().until(d -> d.getCurrentUrl().contains("/admin/users?q=" + operator.username() + "-gone"));
            assertThat(walk.waitFor(By.id("q")).getAttribute("value")).isEqualTo(operator.username() + "-gone");
            assertThat(walk.browser().findElement(By.id("match-count")).getText()).isEqualTo("No user matches");
        }
    }
}
