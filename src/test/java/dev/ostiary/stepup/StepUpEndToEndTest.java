package dev.ostiary.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TotpCodes;

/**
 * RFC 9470 end to end, in Chromium against the sample API: an administrator signed in with a password
 * only (loa:1) is refused {@code DELETE /api/patients/{id}} with 401 {@code insufficient_user_authentication}
 * and {@code acr_values="urn:ostiary:loa:2"}; the client asks again with those {@code acr_values}; Ostiary
 * sends the session to the second-factor page (the user has no app yet: the page leads to the
 * enrolment, which proves the first code), back to the authorization request, and issues a code whose
 * token has acr loa:2 and amr [pwd, otp, mfa]; the delete then succeeds.
 */
class StepUpEndToEndTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;

    @BeforeAll
    static void startClient() throws Exception {
        callbacks = CallbackServer.start();
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
    void whenTheApiAsksForASecondFactorThenTheClientStepsUpAndTheDeleteSucceeds() throws Exception {
        SampleApi api = SampleApi.shared(baseUrl());
        String admin = newUser("USER", "ADMIN");

        CodeVerifier first = new CodeVerifier();
        browser.get(authorize(first, null).toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys(admin);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        String weak = redeem(awaitCode(), first);
        assertThat(Jwks.verify(baseUrl(), weak).getStringClaim("acr")).isEqualTo("urn:ostiary:loa:1");

        HttpResponse<String> refused = api.call("DELETE", "/api/patients/2", weak);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains(
                "Bearer error=\"insufficient_user_authentication\"", "acr_values=\"urn:ostiary:loa:2\"",
                "resource_metadata=\"");

        // RFC 9470 §4: the client asks again, for the level the API named
        CodeVerifier second = new CodeVerifier();
        browser.get(authorize(second, "urn:ostiary:loa:2").toString());
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.getCurrentUrl().contains("/login/second-factor?required"));
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "stepup-second-factor-required");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "stepup-second-factor-required-phone");
        browser.manage().window().setSize(new Dimension(1100, 900));
        // nothing enrolled: the page leads to the enrolment
        browser.findElement(By.id("enrol")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("manual-key")).isEmpty());
        String secret = browser.findElement(By.id("manual-key")).getText().replace(" ", "");
        browser.findElement(By.id("code")).sendKeys(TotpCodes.next(secret, Clock.systemUTC()), Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("continue")).isEmpty());
        browser.findElement(By.id("continue")).click();
        if (!browser.findElements(By.id("code")).isEmpty()) {
            browser.findElement(By.id("code")).sendKeys(TotpCodes.next(secret, Clock.systemUTC()), Keys.ENTER);
        }

        String strong = redeem(awaitCode(), second);
        JWTClaimsSet claims = Jwks.verify(baseUrl(), strong);
        assertThat(claims.getStringClaim("acr")).isEqualTo("urn:ostiary:loa:2");
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(api.call("DELETE", "/api/patients/2", strong).statusCode()).isBetween(200, 299);
    }

    private URI authorize(CodeVerifier verifier, String acrValues) {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK).scope(new Scope("openid", "admin"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256);
        if (acrValues != null) {
            request.customParameter("acr_values", acrValues);
        }
        return request.build().toURI();
    }

    private AuthorizationCode awaitCode() throws Exception {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString())
                || !d.findElements(By.id("submit-consent")).isEmpty());
        if (!browser.getCurrentUrl().startsWith(CALLBACK.toString())) {
            browser.findElement(By.id("submit-consent")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        }
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).as(browser.getCurrentUrl()).isTrue();
        return response.toSuccessResponse().getAuthorizationCode();
    }

    private String redeem(AuthorizationCode code, CodeVerifier verifier) throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response.toSuccessResponse().getTokens().getAccessToken().getValue();
    }
}
