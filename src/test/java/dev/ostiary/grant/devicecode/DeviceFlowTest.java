package dev.ostiary.grant.devicecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.Browser;
import dev.ostiary.support.ServerTest;

/**
 * The device authorization grant end to end (RFC 8628): the device side through the Nimbus SDK
 * (device authorization request, polling with the device_code grant), the user's side in Chromium
 * (code entry, sign-in, consent, outcome), against the running server with the demo client
 * {@code demo-tv}.
 */
class DeviceFlowTest extends ServerTest {

    private static final ClientID TV = new ClientID("demo-tv");

    @Autowired
    AuditTrail trail;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        // every test here enters codes from 127.0.0.1: the address's count must not carry over
        jdbc.sql("delete from failure_counter where key like 'user_code:%'").update();
    }

    @Test
    void whenUserEntersTheCodeSignsInAndAllowsThenTheDeviceGetsTokensOnce() throws Exception {
        DeviceAuthorizationSuccessResponse device = authorize(TV, new Scope("read", "write"));
        assertThat(device.getVerificationURI()).isEqualTo(uri("/activate"));
        assertThat(device.getVerificationURIComplete().toString())
                .isEqualTo(baseUrl() + "/activate?user_code=" + device.getUserCode().getValue());
        assertThat(device.getUserCode().getValue()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(device.getInterval()).isEqualTo(5);

        assertThat(pollError(TV, device.getDeviceCode()).getCode()).isEqualTo("authorization_pending");
        assertThat(pollError(TV, device.getDeviceCode()).getCode()).as("polled again at once").isEqualTo("slow_down");

        String user = newUser("USER");
        browser.get(device.getVerificationURIComplete().toString());
        waitFor(By.id("activate-submit"));
        assertThat(browser.findElement(By.id("user_code")).getAttribute("value"))
                .isEqualTo(device.getUserCode().getValue());
        Browser.screenshot(browser, "device-activate");
        browser.findElement(By.id("activate-submit")).click();
        signIn(user);
        waitFor(By.id("submit-consent"));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Demo TV", device.getUserCode().getValue(), "Read patient and doctor records");
        Browser.screenshot(browser, "device-consent");
        browser.findElement(By.id("submit-consent")).click();
        waitFor(By.id("activate-result"));
        assertThat(browser.findElement(By.id("activate-result")).getText()).isEqualTo("Device connected");
        Browser.screenshot(browser, "device-connected");

        TokenResponse tokens = poll(TV, device.getDeviceCode());
        assertThat(tokens.indicatesSuccess()).as("%s", tokens).isTrue();
        AccessToken accessToken = tokens.toSuccessResponse().getTokens().getAccessToken();
        assertThat(accessToken.getScope().toStringList()).containsExactlyInAnyOrder("read", "write");
        assertThat(JWTParser.parse(accessToken.getValue()).getJWTClaimsSet().getSubject()).isEqualTo(user);
        assertThat(pollError(TV, device.getDeviceCode()).getCode()).as("the code again").isEqualTo("invalid_grant");

        trail.flushAll();
        assertThat(jdbc.sql("select type from audit_event where client_id = 'demo-tv' and username = ? order by id")
                .param(user).query(String.class).list())
                .containsExactly("device.user_code_verified", "token.issued");
        assertThat(jdbc.sql("select count(*) from audit_event where type = 'device.authorization_issued'"
                + " and client_id = 'demo-tv'").query(Integer.class).single()).isPositive();
    }

    @Test
    void whenUserDeniesThenTheDeviceGetsAccessDenied() throws Exception {
        DeviceAuthorizationSuccessResponse device = authorize(TV, new Scope("read"));
        String user = newUser("USER");
        browser.get(uri("/activate").toString());
        waitFor(By.id("activate-submit"));
        // typed as people type: lower case, no dash
        browser.findElement(By.id("user_code")).sendKeys(device.getUserCode().getValue().replace("-", "").toLowerCase());
        browser.findElement(By.id("activate-submit")).click();
        signIn(user);
        waitFor(By.id("cancel-consent"));
        browser.findElement(By.id("cancel-consent")).click();
        waitFor(By.id("activate-result"));
        assertThat(browser.findElement(By.id("activate-result")).getText()).isEqualTo("Device not connected");
        Browser.screenshot(browser, "device-denied");

        assertThat(pollError(TV, device.getDeviceCode()).getCode()).isEqualTo("access_denied");
        trail.flushAll();
        assertThat(jdbc.sql("select type from audit_event where username = ? order by id").param(user)
                .query(String.class).list()).contains("device.user_code_denied");
    }

    @Test
    void whenUserEntersWrongCodesThenLockedOutEvenForTheRightOne() throws Exception {
        DeviceAuthorizationSuccessResponse device = authorize(TV, new Scope("read"));
        String user = newUser("USER");
        enterCode("BBBB-BBBB");
        signIn(user);
        waitForError();
        assertThat(browser.findElement(By.id("activate-error")).getText()).contains("not valid");
        for (int i = 0; i < 4; i++) {
            enterCode("BCDF-GHJ" + "BCDF".charAt(i));
            waitForError();
        }
        enterCode(device.getUserCode().getValue());
        waitForError();
        assertThat(browser.findElement(By.id("activate-error")).getText()).contains("Too many wrong codes");
        Browser.screenshot(browser, "device-locked");
        assertThat(pollError(TV, device.getDeviceCode()).getCode()).isEqualTo("authorization_pending");

        trail.flushAll();
        assertThat(jdbc.sql("select count(*) from audit_event where type = 'device.user_code_failed' and username = ?")
                .param(user).query(Integer.class).single()).isEqualTo(6);
    }

    @Test
    void whenMalformedCodeThenAskedAgainWithoutCounting() throws Exception {
        String user = newUser("USER");
        enterCode("ABCD-1234");
        signIn(user);
        waitForError();
        assertThat(browser.findElement(By.id("activate-error")).getText()).contains("8 letters");
        trail.flushAll();
        assertThat(jdbc.sql("select count(*) from failure_counter where key = ?").param("user_code:" + user)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void whenClientIsNotRegisteredForTheGrantThenUnauthorizedClient() throws Exception {
        DeviceAuthorizationResponse confidential = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                uri("/oauth2/device_authorization"), new ClientSecretBasic(new ClientID("svc-client"),
                        new Secret("svc-secret")), new Scope("read"), null).toHTTPRequest().send());
        assertThat(((DeviceAuthorizationErrorResponse) confidential).getErrorObject().getCode())
                .isEqualTo("unauthorized_client");
        DeviceAuthorizationResponse publicClient = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                uri("/oauth2/device_authorization"), new ClientID("spa"), new Scope("read")).toHTTPRequest().send());
        assertThat(((DeviceAuthorizationErrorResponse) publicClient).getErrorObject().getCode())
                .isEqualTo("unauthorized_client");

        DeviceAuthorizationSuccessResponse device = authorize(TV, new Scope("read"));
        assertThat(pollError(new ClientID("spa"), device.getDeviceCode()).getCode()).isEqualTo("unauthorized_client");
        assertThat(pollError(new ClientID("nobody"), device.getDeviceCode()).getCode()).isEqualTo("invalid_client");
    }

    private DeviceAuthorizationSuccessResponse authorize(ClientID client, Scope scope) throws Exception {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                uri("/oauth2/device_authorization"), client, scope).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("%s", response).isTrue();
        return response.toSuccessResponse();
    }

    private TokenResponse poll(ClientID client, DeviceCode code) throws Exception {
        return TokenResponse.parse(new TokenRequest(uri("/oauth2/token"), client, new DeviceCodeGrant(code))
                .toHTTPRequest().send());
    }

    private ErrorObject pollError(ClientID client, DeviceCode code) throws Exception {
        TokenResponse response = poll(client, code);
        assertThat(response.indicatesSuccess()).isFalse();
        return ((TokenErrorResponse) response).getErrorObject();
    }

    private void enterCode(String code) {
        browser.get(uri("/activate").toString());
        waitFor(By.id("activate-submit"));
        browser.findElement(By.id("user_code")).sendKeys(code);
        browser.findElement(By.id("activate-submit")).click();
    }

    private void signIn(String user) {
        waitFor(By.id("username"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** Back on the code entry with a message (the page before it had none). */
    private void waitForError() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("error="));
        waitFor(By.id("activate-error"));
    }

    private void waitFor(By element) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(element));
    }

}
