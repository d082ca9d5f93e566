package dev.ostiary.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Browser;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;

/**
 * "My applications" in a real browser: a user registers a client with a public key, and a separate
 * client, holding the private key the page never saw, gets a token with private_key_jwt.
 */
class MyApplicationsBrowserTest extends ServerTest {

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

    private void signIn(String user) {
        browser.get(baseUrl() + "/account/applications");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("new-application")));
    }

    @Test
    void registeredWithAPublicKeyThenAnotherClientSignsAnAssertionWithThePrivateKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----";
        signIn(newUser("USER"));
        Browser.screenshot(browser, "my-applications-empty");
        browser.findElement(By.id("new-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-name")));
        browser.findElement(By.id("client-name")).sendKeys("Nightly report job");
        browser.findElement(By.id("grant-authorization_code")).click(); // untick the default
        browser.findElement(By.id("grant-client_credentials")).click();
        browser.findElement(By.id("scope-read")).click();
        assertThat(browser.findElements(By.id("scope-admin"))).as("admin needs a role this user lacks").isEmpty();
        assertThat(browser.findElements(By.id("grant-password"))).as("legacy grants need an admin").isEmpty();
        browser.findElement(By.id("auth-key")).click();
        browser.findElement(By.id("public-key")).sendKeys(pem);
        Browser.screenshot(browser, "application-form");
        browser.findElement(By.id("save-application")).click();

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-id")));
        String clientId = browser.findElement(By.id("client-id")).getText();
        assertThat(browser.findElements(By.id("client-secret"))).isEmpty();
        Browser.screenshot(browser, "application-created");

        // the separate client: only it has the private key
        TokenResponse response = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new PrivateKeyJWT(new ClientID(clientId), uri("/oauth2/token"), JWSAlgorithm.RS256,
                        key.toRSAPrivateKey(), null, null),
                new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(Jwks.verify(baseUrl(), response.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getStringClaim("client_id")).isEqualTo(clientId);

        browser.findElement(By.id("back-to-applications")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("app-" + clientId)));
        assertThat(browser.findElement(By.id("app-" + clientId)).getText()).contains("Nightly report job", "public key");
        Browser.screenshot(browser, "my-applications");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "my-applications-phone");
    }

    @Test
    void aGeneratedSecretIsShownOnceAndBadInputIsExplainedFieldByField() throws Exception {
        signIn(newUser("USER"));
        browser.findElement(By.id("new-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-name")));
        browser.findElement(By.id("client-name")).sendKeys("Web shop");
        browser.findElement(By.id("redirect-uris")).sendKeys("http://shop.example/callback\nhttps://shop.example/cb#x");
        browser.findElement(By.id("save-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".field-error")));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("http is only allowed on a loopback host", "must not have a fragment");
        Browser.screenshot(browser, "application-form-errors");

        browser.findElement(By.id("redirect-uris")).clear();
        browser.findElement(By.id("redirect-uris")).sendKeys("https://shop.example/callback");
        browser.findElement(By.id("save-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-secret")));
        String clientId = browser.findElement(By.id("client-id")).getText();
        String secret = browser.findElement(By.id("client-secret")).getText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        String stored = jdbc.sql("select to_jsonb(c)::text from client c where client_id = ?").param(clientId)
                .query(String.class).single();
        assertThat(stored).doesNotContain(secret).contains("authorization_code", "https://shop.example/callback");

        browser.get(baseUrl() + "/account/applications");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Web shop").doesNotContain(secret);
    }

    @Test
    void whenAnApplicationRegistersLogoutUrisThenTheyAreCheckedAndStored() throws Exception {
        signIn(newUser("USER"));
        browser.findElement(By.id("new-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-name")));
        browser.findElement(By.id("client-name")).sendKeys("Logout shop");
        browser.findElement(By.id("redirect-uris")).sendKeys("https://shop.example/callback");
        browser.findElement(By.id("post-logout-redirect-uris")).sendKeys("https://shop.example/bye");
        // loopback: the fetcher would refuse to post there (no development setting on this server)
        browser.findElement(By.id("backchannel-logout-uri")).sendKeys("http://127.0.0.1:8081/backchannel-logout");
        browser.findElement(By.id("save-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".field-error")));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("must be https");

        browser.findElement(By.id("backchannel-logout-uri")).clear();
        browser.findElement(By.id("save-application")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("client-id")));
        String clientId = browser.findElement(By.id("client-id")).getText();
        assertThat(jdbc.sql("select post_logout_redirect_uris[1] from client where client_id = ?").param(clientId)
                .query(String.class).single()).isEqualTo("https://shop.example/bye");
    }
}
