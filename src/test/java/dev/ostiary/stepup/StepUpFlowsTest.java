package dev.ostiary.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ostiary.support.Accessibility;
import dev.ostiary.support.Browser;
import dev.ostiary.support.CallbackServer;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * Step-up in a real browser (docs/sign-in.md, step-up): the sign-in's {@code acr}, {@code amr} and
 * {@code auth_time} in the ID token, the access token and introspection, kept by a refresh;
 * {@code prompt=login} and {@code max_age} send the user back to the login page; {@code acr_values}
 * asking for a second factor, and a scope that needs one, send a password-only session to the
 * second-factor page; {@code prompt=none} gets {@code interaction_required}; malformed values
 * {@code invalid_request}.
 */
class StepUpFlowsTest extends ServerTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:18999/callback");
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

    @Test
    void whenPasswordSignInThenLoa1PwdAndAuthTimeInIdTokenAccessTokenAndIntrospectionAndRefreshKeepsThem()
            throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        browser.get(authorize(verifier, Map.of()).toString());
        signIn(newUser("USER"));
        OIDCTokenResponse tokens = redeem(awaitCode(), verifier);

        JWTClaimsSet idToken = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(idToken.getStringClaim("acr")).isEqualTo("urn:ostiary:loa:1");
        assertThat(idToken.getStringListClaim("amr")).containsExactly("pwd");
        Date authTime = idToken.getDateClaim("auth_time");
        assertThat(authTime).isNotNull();
        JWTClaimsSet access = Jwks.verify(baseUrl(), tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(access.getStringClaim("acr")).isEqualTo("urn:ostiary:loa:1");
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(access.getDateClaim("auth_time")).isEqualTo(authTime);

        TokenIntrospectionSuccessResponse introspected = introspect(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(introspected.isActive()).isTrue();
        assertThat(introspected.getStringParameter("acr")).isEqualTo("urn:ostiary:loa:1");
        assertThat(introspected.toJSONObject().get("amr")).isEqualTo(List.of("pwd"));
        assertThat(introspected.toJSONObject().get("auth_time")).isEqualTo(authTime.getTime() / 1000);

        // RFC 6749 §6 / OIDC Core §12.2: a refresh is not a sign-in; what it asks for is ignored
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken()), null, null,
                Map.of("acr_values", List.of("urn:ostiary:loa:2"))).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).isTrue();
        OIDCTokenResponse again = (OIDCTokenResponse) refreshed.toSuccessResponse();
        JWTClaimsSet refreshedAccess = Jwks.verify(baseUrl(), again.getOIDCTokens().getAccessToken().getValue());
        assertThat(refreshedAccess.getStringClaim("acr")).isEqualTo("urn:ostiary:loa:1");
        assertThat(refreshedAccess.getDateClaim("auth_time")).isEqualTo(authTime);
        assertThat(again.getOIDCTokens().getIDToken().getJWTClaimsSet().getDateClaim("auth_time")).isEqualTo(authTime);
    }

    @Test
    void whenPromptLoginThenTheLoginPageAgainAndAFresherAuthTimeAndNoLoop() throws Exception {
        String user = newUser("USER");
        CodeVerifier first = new CodeVerifier();
        browser.get(authorize(first, Map.of()).toString());
        signIn(user);
        Date firstAuthTime = redeem(awaitCode(), first).getOIDCTokens().getIDToken().getJWTClaimsSet()
                .getDateClaim("auth_time");

        CodeVerifier second = new CodeVerifier();
        browser.get(authorize(second, Map.of("prompt", "login")).toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/login?reauth"));
        assertThat(browser.findElement(By.id("reauth-notice")).getText()).contains("sign in again");
        assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo(user);
        Accessibility.assertNoSeriousViolations(browser);
        Browser.screenshot(browser, "stepup-reauth");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        Browser.screenshot(browser, "stepup-reauth-phone");
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);

        Date secondAuthTime = redeem(awaitCode(), second).getOIDCTokens().getIDToken().getJWTClaimsSet()
                .getDateClaim("auth_time");
        assertThat(secondAuthTime).isAfterOrEqualTo(firstAuthTime);
    }

    @Test
    void whenMaxAgeZeroThenReauthenticationOnceThenCode() throws Exception {
        CodeVerifier first = new CodeVerifier();
        browser.get(authorize(first, Map.of()).toString());
        signIn(newUser("USER"));
        awaitCode();

        CodeVerifier second = new CodeVerifier();
        browser.get(authorize(second, Map.of("max_age", "0")).toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/login?reauth"));
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        assertThat(redeem(awaitCode(), second).getOIDCTokens().getIDToken().getJWTClaimsSet().getDateClaim("auth_time"))
                .isNotNull();
    }

    @Test
    void whenAPushedRequestAsksPromptLoginThenReauthenticationAndItsRequestUriStillAnswersOnce() throws Exception {
        browser.get(authorize(new CodeVerifier(), Map.of()).toString());
        signIn(newUser("USER"));
        awaitCode();

        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest pushed = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                new ClientID("web-app")).redirectionURI(CALLBACK).scope(new Scope("openid", "read"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("prompt", "login").build();
        com.nimbusds.oauth2.sdk.PushedAuthorizationResponse response = com.nimbusds.oauth2.sdk.PushedAuthorizationResponse
                .parse(new com.nimbusds.oauth2.sdk.PushedAuthorizationRequest(uri("/oauth2/par"),
                        new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")), pushed)
                        .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        URI byReference = new AuthorizationRequest.Builder(response.toSuccessResponse().getRequestURI(),
                new ClientID("web-app")).endpointURI(uri("/oauth2/authorize")).build().toURI();

        browser.get(byReference.toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/login?reauth"));
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        redeem(awaitCode(), verifier);
        // used: the request URI answers once (RFC 9126 §4)
        browser.get(byReference.toString());
        assertThat(browser.getCurrentUrl()).startsWith(baseUrl());
    }

    @Test
    void whenAcrValuesAskLoa2OfAPasswordSessionThenSentToTheSecondFactorPage() {
        browser.get(authorize(new CodeVerifier(), Map.of()).toString());
        signIn(newUser("USER"));
        awaitCode();

        browser.get(authorize(new CodeVerifier(), Map.of("acr_values", "urn:ostiary:loa:2")).toString());
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.getCurrentUrl().contains("/login/second-factor?required"));
    }

    @Test
    void whenAScopeRequiresASecondFactorThenAPasswordSessionIsSentToTheSecondFactorPage() throws Exception {
        String scope = "stepup-" + System.nanoTime();
        HttpResponse<String> created = admin("POST", "/admin/api/scopes", """
                {"name":"%s","description":"Something sensitive","requiresSecondFactor":true}""".formatted(scope));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"requiresSecondFactor\":true");
        String client = "stepup-client-" + System.nanoTime();
        assertThat(admin("POST", "/admin/api/clients", """
                {"clientId":"%s","clientName":"Step-up","grantTypes":["authorization_code"],
                 "redirectUris":["%s"],"scopes":["openid","%s"],"requireConsent":false}"""
                .formatted(client, CALLBACK, scope)).statusCode()).isEqualTo(201);

        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID(client))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK).scope(new Scope("openid", scope))
                .state(new State()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI()
                .toString());
        signIn(newUser("USER"));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.getCurrentUrl().contains("/login/second-factor?required"));
    }

    @Test
    void whenPromptNoneAndALevelAboveTheSessionsThenInteractionRequired() {
        browser.get(authorize(new CodeVerifier(), Map.of()).toString());
        signIn(newUser("USER"));
        awaitCode();

        browser.get(authorize(new CodeVerifier(), Map.of("prompt", "none", "acr_values", "urn:ostiary:loa:2"))
                .toString());
        assertThat(awaitError()).isEqualTo("interaction_required");
        browser.get(authorize(new CodeVerifier(), Map.of("prompt", "none", "max_age", "0")).toString());
        assertThat(awaitError()).isEqualTo("login_required");
    }

    @Test
    void whenMaxAgeOrAcrValuesMalformedThenInvalidRequestAtTheClient() {
        browser.get(authorize(new CodeVerifier(), Map.of()).toString());
        signIn(newUser("USER"));
        awaitCode();

        for (String maxAge : List.of("-1", "soon", "99999999999")) {
            browser.get(authorize(new CodeVerifier(), Map.of("max_age", maxAge)).toString());
            assertThat(awaitError()).isEqualTo("invalid_request");
        }
        browser.get(authorize(new CodeVerifier(), Map.of("acr_values", "urn:ostiary:loa:2 ".repeat(100))).toString());
        assertThat(awaitError()).isEqualTo("invalid_request");
        // garbage this server does not know is no level at all: ignored, as a voluntary claim may be
        browser.get(authorize(new CodeVerifier(), Map.of("acr_values", "gold platinum")).toString());
        awaitCode();
    }

    @Test
    void whenAcrValuesRepeatedThenBadRequest() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                authorize(new CodeVerifier(), Map.of("acr_values", "urn:ostiary:loa:1")) + "&acr_values=urn%3Aostiary%3Aloa%3A2"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void whenDiscoveryThenAcrValuesSupported() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                uri("/.well-known/openid-configuration")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("\"acr_values_supported\":[\"urn:ostiary:loa:1\",\"urn:ostiary:loa:2\"]");
    }

    private URI authorize(CodeVerifier verifier, Map<String, String> extra) {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE), new ClientID("web-app"))
                .endpointURI(uri("/oauth2/authorize")).redirectionURI(CALLBACK).scope(new Scope("openid", "read"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256);
        extra.forEach((name, value) -> request.customParameter(name, value));
        return request.build().toURI();
    }

    private void signIn(String username) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
    }

    /** The code at the callback, through the consent page if it is shown. */
    private AuthorizationCode awaitCode() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString())
                || !d.findElements(By.id("submit-consent")).isEmpty());
        if (!browser.getCurrentUrl().startsWith(CALLBACK.toString())) {
            browser.findElement(By.id("submit-consent")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        }
        try {
            AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
            assertThat(response.indicatesSuccess()).as(browser.getCurrentUrl()).isTrue();
            return response.toSuccessResponse().getAuthorizationCode();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private String awaitError() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(CALLBACK.toString()));
        return com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(URI.create(browser.getCurrentUrl()).getRawQuery())
                .get("error").get(0);
    }

    private OIDCTokenResponse redeem(AuthorizationCode code, CodeVerifier verifier) throws Exception {
        TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    private TokenIntrospectionSuccessResponse introspect(String token) throws Exception {
        return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(uri("/oauth2/introspect"),
                new ClientSecretBasic(new ClientID("demo-api"), new Secret("api-secret")), new BearerAccessToken(token))
                .toHTTPRequest().send()).toSuccessResponse();
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + TokensClient.adminToken(baseUrl()))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
