package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

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
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;

/**
 * The login and consent pages in a real browser: Chromium signs in, approves or denies, and lands
 * back at the client. The authorization requests are built and the responses parsed by the Nimbus
 * SDK, as a real client would.
 */
class BrowserFlowsTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static final URI SPA_CALLBACK = URI.create("http://127.0.0.1:18999/spa-callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;

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
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signIn(String username, String password, String screenshot) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("username")));
        if (screenshot != null) {
            Browser.screenshot(browser, screenshot);
        }
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
    }

    private void awaitClient(String prefix) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(prefix));
    }

    @Test
    void whenUserSignsInAndApprovesThenCodeWithPkceRedeemsForTokens() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        URI request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize"))
                .redirectionURI(CALLBACK)
                .scope(new Scope("openid", "profile", "read", "write"))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
        browser.get(request.toString());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Demo web app");
        signIn(newUser("USER", "ADMIN"), "password", "login");

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                By.id("submit-consent")));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Demo web app", "Read patient and doctor records", "See your user name");
        Browser.screenshot(browser, "consent");
        // keyboard works: the profile checkbox can be unticked with the space bar
        browser.findElement(By.id("scope-profile")).sendKeys(Keys.SPACE);
        browser.findElement(By.id("submit-consent")).click();

        awaitClient(CALLBACK.toString());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        TokenResponse tokens = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).isTrue();
        Tokens issued = tokens.toSuccessResponse().getTokens();
        assertThat(Jwks.verify(baseUrl(), issued.getAccessToken().getValue()).getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("openid", "read", "write");

        browser.get(baseUrl() + "/account/consents");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Demo web app");
        Browser.screenshot(browser, "my-consents");
    }

    @Test
    void whenUserDeniesThenClientGetsAccessDeniedWithState() {
        State state = new State();
        URI request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize"))
                .redirectionURI(CALLBACK)
                .scope(new Scope("read"))
                .state(state)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .build().toURI();
        browser.get(request.toString());
        signIn(newUser("USER"), "password", null);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                By.id("cancel-consent"))).click();
        awaitClient(CALLBACK.toString());
        Map<String, java.util.List<String>> parameters = com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(
                URI.create(browser.getCurrentUrl()).getRawQuery());
        assertThat(parameters.get("error")).containsExactly("access_denied");
        assertThat(parameters.get("state")).containsExactly(state.getValue());
    }

    @Test
    void whenImplicitApprovedThenTokenArrivesInFragment() throws Exception {
        State state = new State();
        URI request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.TOKEN), new ClientID("spa"))
                .endpointURI(uri("/oauth2/authorize"))
                .redirectionURI(SPA_CALLBACK)
                .scope(new Scope("read"))
                .state(state)
                .build().toURI();
        String user = newUser("USER");
        browser.get(request.toString());
        signIn(user, "password", null);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                By.id("submit-consent"))).click();
        awaitClient(SPA_CALLBACK.toString());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        String token = response.toSuccessResponse().getAccessToken().getValue();
        assertThat(Jwks.verify(baseUrl(), token).getSubject()).isEqualTo(user);
    }

    @Test
    void whenClientSendsUnregisteredRedirectThenBrowserStaysOnErrorPage() {
        browser.get(baseUrl() + "/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=read&state=x"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
        assertThat(browser.getCurrentUrl()).startsWith(baseUrl());
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("cannot be completed");
        Browser.screenshot(browser, "error");
    }
}
