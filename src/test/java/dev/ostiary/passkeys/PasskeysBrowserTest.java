package dev.ostiary.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;

/**
 * Passkeys in Chromium with a virtual authenticator (CTAP2, internal, resident keys, user
 * verification): real WebAuthn ceremonies against Spring Security's endpoints, verified by webauthn4j
 * on the server, stored in PostgreSQL.
 */
class PasskeysBrowserTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static CallbackServer callbacks;
    private ChromeDriver browser;
    private VirtualAuthenticator authenticator;

    @BeforeAll
    static void startClient() throws Exception {
        try {
            callbacks = CallbackServer.start();
        } catch (java.net.BindException e) {
            // another suite's callback server has the port: it answers the browser just as well
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
        authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private void passwordSignIn(String username, String password) {
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        waiting().until(d -> !d.getCurrentUrl().contains("/login"));
    }

    private void signInAndOpenPasskeys(String username) {
        browser.get(baseUrl() + "/login");
        passwordSignIn(username, "password");
        browser.get(baseUrl() + "/account/passkeys");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-label")));
    }

    private void register(String label) {
        browser.findElement(By.id("passkey-label")).sendKeys(label);
        browser.findElement(By.id("add-passkey")).click();
        waiting().until(d -> d.getCurrentUrl().contains("added"));
        assertThat(browser.findElement(By.cssSelector(".passkey-list")).getText()).contains(label);
    }

    private void signOut() {
        browser.findElement(By.xpath("//form[contains(@action,'/logout')]/button")).click();
        waiting().until(d -> d.getCurrentUrl().contains("/login"));
    }

    private String authorizationRequest(CodeVerifier verifier, State state) {
        return new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK).scope(new Scope("openid", "read"))
                .state(state).codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI().toString();
    }

    private String passkeySignInFails() {
        browser.findElement(By.id("passkey-sign-in")).click();
        WebElement error = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-sign-in-error")));
        return error.getText();
    }

    private String onlyCredentialId(String username) {
        return jdbc.sql("select c.credential_id from user_credentials c join app_user u on u.id = c.user_id"
                + " where u.username = ?").param(username).query(String.class).single();
    }

    @Test
    void whenPasskeyRegisteredThenSignsInWithoutPasswordThroughAuthorizationCodeFlow() throws Exception {
        String user = newUser("USER");
        signInAndOpenPasskeys(user);
        Accessibility.assertNoSeriousViolations(browser);
        register("Work laptop");
        waiting().until(d -> jdbc.sql("select count(*) from audit_event where type = 'passkey.registered'"
                + " and username = ?").param(user).query(Integer.class).single() == 1);
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "passkeys-desktop");
        browser.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(browser, "passkeys-phone");
        browser.manage().window().setSize(new Dimension(1100, 900));
        signOut();

        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        browser.get(authorizationRequest(verifier, state));
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in")));
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "login-with-passkey");
        browser.findElement(By.id("passkey-sign-in")).click();

        waiting().until(ExpectedConditions.elementToBeClickable(By.id("submit-consent"))).click();
        waiting().until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        TokenResponse tokens = TokenResponse.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).isTrue();
        assertThat(Jwks.verify(baseUrl(), tokens.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getSubject()).isEqualTo(user);
        assertThat(jdbc.sql("select last_used > created from user_credentials where credential_id = ?")
                .param(onlyCredentialId(user)).query(Boolean.class).single()).isTrue();
    }

    @Test
    void whenPasskeyRenamedAndRemovedThenItNoLongerSignsIn() {
        String user = newUser("USER");
        signInAndOpenPasskeys(user);
        register("Phone");
        WebElement rename = browser.findElement(By.id("rename-0"));
        rename.clear();
        rename.sendKeys("Old phone", Keys.ENTER);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".alert.ok"), "Old phone"));
        assertThat(browser.findElement(By.cssSelector(".passkey-label")).getText()).isEqualTo("Old phone");

        // an empty name is refused with the error tied to the field
        browser.findElement(By.id("rename-0")).clear();
        browser.executeScript("document.getElementById('rename-0').removeAttribute('required')");
        browser.findElement(By.id("rename-0")).sendKeys(" ", Keys.ENTER);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("rename-error")));
        assertThat(browser.findElement(By.id("rename-0")).getAttribute("aria-describedby")).isEqualTo("rename-error");

        browser.get(baseUrl() + "/account/passkeys");
        browser.findElement(By.linkText("Remove")).click();
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("confirm-remove")));
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "passkeys-remove");
        browser.findElement(By.id("confirm-remove")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("no-passkeys")));
        signOut();

        // the authenticator still holds the key; the server no longer knows it
        assertThat(passkeySignInFails()).contains("did not work");
        assertThat(browser.getCurrentUrl()).contains("/login");
    }

    @Test
    void whenCarolSignsInFirstThenSheIsAskedToRegisterAndThenContinues() {
        CodeVerifier verifier = new CodeVerifier();
        browser.get(authorizationRequest(verifier, new State()));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys("carol");
        browser.findElement(By.id("password")).sendKeys("carol-pw", Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("/account/passkeys?first-use"));
        assertThat(browser.findElement(By.id("first-use")).getText()).contains("Please add a passkey now");
        assertThat(browser.findElements(By.id("continue"))).isEmpty();
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "passkeys-first-use");

        register("Carol's laptop");
        assertThat(jdbc.sql("select count(*) from passkey_enrolment_required r join app_user u on u.id = r.user_id"
                + " where u.username = 'carol'").query(Integer.class).single()).isZero();
        browser.findElement(By.id("continue")).click();
        // the saved authorization request goes on: consent for the demo web app
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("submit-consent")));
    }

    @Test
    void whenSignedInAsOneUserThenAnotherUsersPasskeyIsRefusedAndTheSessionStays() {
        String alice = newUser("USER");
        signInAndOpenPasskeys(alice);
        register("Alice key");
        signOut();

        String bob = newUser("USER");
        browser.get(baseUrl() + "/login");
        passwordSignIn(bob, "password");
        browser.get(baseUrl() + "/login");
        // the authenticator offers alice's passkey: refused, bob stays bob
        assertThat(passkeySignInFails()).contains("did not work");
        browser.get(baseUrl() + "/account/passkeys");
        assertThat(browser.findElement(By.cssSelector(".lead")).getText()).contains(bob);
        waiting().until(d -> jdbc.sql("select count(*) from audit_event where type = 'passkey.sign_in_failed'"
                + " and username = ?").param(bob).query(Integer.class).single() == 1);
    }

    @Test
    void whenSameUserAddsPasskeyAfterPasswordThenSessionStaysTheirs() {
        String user = newUser("USER");
        signInAndOpenPasskeys(user);
        register("Mine");
        browser.get(baseUrl() + "/login");
        browser.findElement(By.id("passkey-sign-in")).click();
        waiting().until(d -> !d.getCurrentUrl().contains("/login"));
        browser.get(baseUrl() + "/account/passkeys");
        assertThat(browser.findElement(By.cssSelector(".lead")).getText()).contains(user);
    }

    @Test
    void whenUserDeletedThenTheirPasskeysGoAndTheCredentialIsRefused() {
        String user = newUser("USER");
        signInAndOpenPasskeys(user);
        register("Doomed");
        String credentialId = onlyCredentialId(user);
        signOut();
        jdbc.sql("delete from app_user where username = ?").param(user).update();
        assertThat(jdbc.sql("select count(*) from user_credentials where credential_id = ?").param(credentialId)
                .query(Integer.class).single()).isZero();
        browser.get(baseUrl() + "/login");
        assertThat(passkeySignInFails()).contains("did not work");
    }

    @Test
    void whenBrowserAsksForGermanThenPasskeyPagesAreGerman() {
        browser.quit();
        browser = Browser.start(List.of("--lang=de", "--accept-lang=de"));
        authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
        String user = newUser("USER");
        browser.get(baseUrl() + "/login");
        assertThat(browser.findElement(By.id("passkey-sign-in")).getText()).isEqualTo("Mit einem Passkey anmelden");
        passwordSignIn(user, "password");
        browser.get(baseUrl() + "/account/passkeys");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-label")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Passkeys");
        assertThat(browser.findElement(By.id("add-passkey")).getText()).isEqualTo("Passkey hinzufügen");
        register("Arbeitslaptop");
        assertThat(browser.findElement(By.cssSelector(".alert.ok")).getText()).isEqualTo("Passkey hinzugefügt.");
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "passkeys-de");
    }

    /** The same assertion posted twice, and 16 times at once: one sign-in at most. */
    @Test
    void whenAssertionReplayedThenRefused() {
        String user = newUser("USER");
        signInAndOpenPasskeys(user);
        register("Replayed");
        signOut();
        browser.get(baseUrl() + "/login");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-sign-in")));
        @SuppressWarnings("unchecked")
        List<Object> statuses = (List<Object>) browser.executeAsyncScript(REPLAY_SCRIPT, 1);
        assertThat(statuses).containsExactly(200L, 401L);

        browser.get(baseUrl() + "/login");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-sign-in")));
        @SuppressWarnings("unchecked")
        List<Object> concurrent = (List<Object>) browser.executeAsyncScript(REPLAY_SCRIPT, 16);
        assertThat(concurrent).filteredOn(status -> status.equals(200L)).hasSizeLessThanOrEqualTo(1);
        // 401: the challenge was used; 403: the first sign-in changed the session and its CSRF token
        assertThat(concurrent).allMatch(status -> status.equals(200L) || status.equals(401L) || status.equals(403L));
    }

    @Test
    void whenOptionsHammeredThenNoServerErrorAndOnlyTheLatestChallengeCounts() {
        browser.get(baseUrl() + "/login");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("passkey-sign-in")));
        @SuppressWarnings("unchecked")
        List<Object> statuses = (List<Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const b = document.getElementById('passkey-sign-in');
                const headers = {'Content-Type': 'application/json', [b.dataset.csrfHeader]: b.dataset.csrfToken};
                Promise.all(Array.from({length: 32}, () => fetch('/webauthn/authenticate/options',
                    {method: 'POST', headers}).then(r => r.status))).then(done);
                """);
        assertThat(statuses).hasSize(32).allMatch(status -> ((Long) status) < 500);
        // without the CSRF token: refused
        Object withoutCsrf = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/webauthn/authenticate/options', {method: 'POST'}).then(r => done(r.status));
                """);
        assertThat(withoutCsrf).isEqualTo(403L);
        // garbage instead of an assertion: a clean 401
        Object garbage = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const b = document.getElementById('passkey-sign-in');
                fetch('/login/webauthn', {method: 'POST', headers: {'Content-Type': 'application/json',
                    [b.dataset.csrfHeader]: b.dataset.csrfToken}, body: '{"id": 1, "response": []}'})
                    .then(r => done(r.status));
                """);
        assertThat(garbage).isEqualTo(401L);
    }

    /**
     * Fetches options once, gets one assertion from the authenticator, POSTs it {@code arguments[0]}
     * times (all at once), and answers the statuses in order.
     */
    private static final String REPLAY_SCRIPT = """
            const times = arguments[0];
            const done = arguments[arguments.length - 1];
            const b = document.getElementById('passkey-sign-in');
            const headers = {'Content-Type': 'application/json', [b.dataset.csrfHeader]: b.dataset.csrfToken};
            const enc = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
                .replace(/=/g, '').replace(/\\+/g, '-').replace(/\\//g, '_');
            const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
            (async () => {
              const options = await (await fetch('/webauthn/authenticate/options', {method: 'POST', headers})).json();
              const a = await navigator.credentials.get({publicKey: {...options, challenge: dec(options.challenge),
                  allowCredentials: []}});
              const body = JSON.stringify({id: a.id, rawId: enc(a.rawId), type: a.type,
                  response: {authenticatorData: enc(a.response.authenticatorData),
                      clientDataJSON: enc(a.response.clientDataJSON), signature: enc(a.response.signature),
                      userHandle: enc(a.response.userHandle)},
                  clientExtensionResults: {}, authenticatorAttachment: a.authenticatorAttachment});
              if (times === 1) {
                const first = (await fetch('/login/webauthn', {method: 'POST', headers, body})).status;
                // the sign-in changed the session id and the CSRF token: the replay uses the new ones
                const page = await (await fetch('/login')).text();
                const token = new DOMParser().parseFromString(page, 'text/html')
                    .getElementById('passkey-sign-in').dataset.csrfToken;
                const second = (await fetch('/login/webauthn', {method: 'POST',
                    headers: {...headers, [b.dataset.csrfHeader]: token}, body})).status;
                return [first, second];
              }
              return Promise.all(Array.from({length: times},
                  () => fetch('/login/webauthn', {method: 'POST', headers, body}).then(r => r.status)));
            })().then(done, (e) => done(['error', String(e)]));
            """;
}
