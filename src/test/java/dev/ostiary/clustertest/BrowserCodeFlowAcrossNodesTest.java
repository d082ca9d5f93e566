package dev.ostiary.clustertest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;

/**
 * The authorization code flow in Chromium through nginx's https URL, each step on another node: the
 * login on node 1, the consent answered on node 2 (the session, its CSRF token and the saved request
 * come from PostgreSQL), the code redeemed with its PKCE verifier on node 3. The {@code ostiary_pin}
 * cookie (the dev cluster's test aid) picks the node; nginx's access log shows where each step went.
 */
@Tag("cluster")
@Order(5)
class BrowserCodeFlowAcrossNodesTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
    private static final Duration STEP = Duration.ofSeconds(20);

    private static Cluster cluster;
    private static CallbackServer callbacks;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.checkBrowser();
        cluster = Cluster.shared();
        callbacks = CallbackServer.start();
        // trust exactly the cluster's certificate (its key), not every certificate
        browser = Browser.start(List.of("--ignore-certificate-errors-spki-list=" + cluster.certificateSpkiSha256()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (callbacks != null) {
            callbacks.close();
        }
    }

    /** Sends the browser's next requests to {@code node} (cookies go to the page's host, so it must be there). */
    private static void pin(int node) {
        browser.manage().deleteCookieNamed("ostiary_pin");
        browser.manage().addCookie(new Cookie.Builder("ostiary_pin", Integer.toString(node)).path("/").isSecure(true)
                .build());
    }

    @Test
    void loginOnNodeOneConsentOnNodeTwoTokenOnNodeThree() throws Exception {
        ClusterTokens tokens = new ClusterTokens(cluster);
        String username = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createUser(tokens.adminToken(), username, "password-" + username);

        browser.get(cluster.issuer() + "/.well-known/oauth-authorization-server");
        assertThat(browser.getPageSource()).as("Chromium trusts the cluster's certificate").contains("\"issuer\"");
        pin(1);
        AccessLog log = AccessLog.from(cluster);

        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(cluster.uri("/oauth2/authorize"))
                .redirectionURI(CALLBACK)
                .scope(new Scope("openid", "profile", "read"))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI().toString());
        new WebDriverWait(browser, STEP).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(cluster.issuer() + "/login");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("password-" + username, Keys.ENTER);

        new WebDriverWait(browser, STEP).until(ExpectedConditions.elementToBeClickable(By.id("submit-consent")));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Demo web app");
        Cookie session = browser.manage().getCookies().stream().filter(c -> !c.getName().equals("ostiary_pin"))
                .findFirst().orElseThrow(() -> new AssertionError("No session cookie"));
        assertThat(session.isSecure()).as("session cookie %s is Secure behind the https proxy", session.getName())
                .isTrue();
        assertThat(session.isHttpOnly()).isTrue();
        pin(2);
        browser.findElement(By.id("submit-consent")).click();

        new WebDriverWait(browser, STEP).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        assertThat(response.indicatesSuccess()).as(browser.getCurrentUrl()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        HTTPResponse redeemed = cluster.send(new com.nimbusds.oauth2.sdk.TokenRequest(cluster.uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).toHTTPRequest(), 3);
        assertThat(cluster.nodeOf(redeemed)).isEqualTo(3);
        assertThat(redeemed.getStatusCode()).as(redeemed.getBody()).isEqualTo(200);
        OIDCTokens issued = OIDCTokenResponseParser.parse(redeemed).toSuccessResponse().getTokens().toOIDCTokens();
        assertThat(SignedJWT.parse(issued.getAccessToken().getValue()).getJWTClaimsSet().getIssuer())
                .isEqualTo(cluster.issuer());
        assertThat(issued.getIDToken().getJWTClaimsSet().getIssuer()).isEqualTo(cluster.issuer());
        assertThat(issued.getIDToken().getJWTClaimsSet().getSubject()).isEqualTo(username);

        String steps = log.entries().toString();
        assertThat(log.nodesOf("POST", "/login")).as(steps).containsExactly(1);
        assertThat(log.nodesOf("GET", "/oauth2/authorize")).as(steps).isNotEmpty().containsOnly(1);
        assertThat(log.nodesOf("POST", "/oauth2/authorize")).as(steps).containsExactly(2);
        assertThat(log.nodesOf("POST", "/oauth2/token")).as(steps).contains(3);
    }
}
