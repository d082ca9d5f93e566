package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.support.Browser;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TestUsers;
import dev.ostiary.support.TokensClient;
import dev.ostiary.user.UserRepository;

/**
 * RP-initiated logout, back-channel logout and "sign out everywhere" end to end: Chromium signs in
 * through the code flow, the Nimbus SDK builds the logout requests and reads the discovery document,
 * and a relying party of the test's own ({@link RelyingParty}) receives the logout tokens, which are
 * verified through the published JWKS. A server of its own: back-channel URIs on loopback need the
 * development setting {@code ostiary.fetch.allow-http-loopback}.
 */
class LogoutFlowsTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static StandaloneServer server;
    private static RelyingParty party;
    private static String clientId;
    private static String clientSecret;
    private static URI endSession;
    private final List<ChromeDriver> browsers = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.fetch.allow-http-loopback=true", "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.logout.delivery-interval=200ms", "--ostiary.logout.first-retry=1s");
        party = RelyingParty.start();
        clientId = "logout-rp-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/api/clients"))
                .header("Authorization", "Bearer " + TokensClient.adminToken(server.baseUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"clientId":"%s","clientName":"Logout RP","grantTypes":["authorization_code","refresh_token"],
                         "authMethods":["client_secret_basic"],"redirectUris":["%s"],"postLogoutRedirectUris":["%s"],
                         "scopes":["openid","read"],"requireConsent":false,"backchannelLogoutUri":"%s",
                         "backchannelLogoutSessionRequired":true}""".formatted(clientId, party.uri("/callback"),
                        party.uri("/logged-out"), party.uri("/backchannel-logout"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"backchannelLogoutSessionRequired\":true");
        clientSecret = com.nimbusds.jose.util.JSONObjectUtils.parse(created.body()).get("clientSecret").toString();
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(
                server.baseUrl()));
        endSession = metadata.getEndSessionEndpointURI();
        assertThat(metadata.supportsBackChannelLogout()).isTrue();
        assertThat(metadata.supportsBackChannelLogoutSession()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (party != null) {
            party.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clearReceiver() {
        party.logoutTokens.clear();
        party.failuresToAnswer.set(0);
        party.failedDeliveries.set(0);
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(ChromeDriver::quit);
    }

    private ChromeDriver browser() {
        ChromeDriver browser = Browser.start();
        browsers.add(browser);
        return browser;
    }

    private static String newUser() {
        return TestUsers.create(server.bean(UserRepository.class), server.bean(PasswordEncoder.class), "password",
                "USER");
    }

    /** Signs {@code user} in through the code flow in {@code browser}; the tokens the client got. */
    private static OIDCTokens signIn(ChromeDriver browser, String user) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        URI callback = party.uri("/callback");
        browser.get(new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID(clientId))
                .endpointURI(URI.create(server.baseUrl() + "/oauth2/authorize")).redirectionURI(callback)
                .scope(new Scope("openid", "read")).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI().toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(callback.toString()));
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
        TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(server.baseUrl() + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret)),
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), callback, verifier))
                .toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).isTrue();
        return ((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens();
    }

    private static boolean signedIn(ChromeDriver browser) {
        browser.get(server.baseUrl() + "/");
        return !browser.getCurrentUrl().contains("/login");
    }

    private static boolean refreshes(OIDCTokens tokens) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(server.baseUrl() + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret)),
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send()).indicatesSuccess();
    }

    /** The logout token verified as an RP would: our JWKS, {@code typ logout+jwt}. */
    private static JWTClaimsSet verified(String logoutToken) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                JWKSourceBuilder.create(URI.create(server.baseUrl() + "/oauth2/jwks").toURL()).retrying(false).build()));
        return processor.process(logoutToken, null);
    }

    @Test
    void whenRpLogsOutWithIdTokenHintThenRedirectedWithStateSessionEndedAndBackchannelLogoutSent() throws Exception {
        ChromeDriver browser = browser();
        String user = newUser();
        OIDCTokens tokens = signIn(browser, user);
        State state = new State();
        URI logout = new LogoutRequest(endSession, tokens.getIDToken(), party.uri("/logged-out"), state).toURI();
        browser.get(logout.toString());

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(
                party.uri("/logged-out").toString()));
        assertThat(browser.getCurrentUrl()).isEqualTo(party.uri("/logged-out") + "?state=" + state.getValue());
        assertThat(signedIn(browser)).isFalse();
        assertThat(refreshes(tokens)).as("the session's refresh token is revoked").isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> !party.logoutTokens.isEmpty());
        JWTClaimsSet claims = verified(party.logoutTokens.get(0));
        assertThat(claims.getIssuer()).isEqualTo(tokens.getIDToken().getJWTClaimsSet().getIssuer());
        assertThat(claims.getAudience()).containsExactly(clientId);
        assertThat(claims.getSubject()).isEqualTo(user);
        assertThat(claims.getStringClaim("sid")).isNotBlank()
                .isEqualTo(tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
        assertThat(claims.getJSONObjectClaim("events")).containsOnlyKeys(LogoutTokens.EVENT);
        assertThat(claims.getClaim("nonce")).isNull();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        await().atMost(Duration.ofSeconds(10)).until(() -> audited("logout.backchannel_delivered", claims.getJWTID()));
        await().atMost(Duration.ofSeconds(10)).until(() -> audited("logout.session_ended", null));
    }

    @Test
    void whenPostLogoutRedirectUriIsNotRegisteredThenErrorPageNotRedirect() throws Exception {
        ChromeDriver browser = browser();
        OIDCTokens tokens = signIn(browser, newUser());
        URI logout = new LogoutRequest(endSession, tokens.getIDToken(), URI.create("https://evil.example/logged-out"),
                new State()).toURI();
        browser.get(logout.toString());

        assertThat(browser.getCurrentUrl()).startsWith(server.baseUrl());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("invalid_request");
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(logout).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(400);
        assertThat(direct.headers().firstValue("Location")).isEmpty();
        assertThat(signedIn(browser)).as("a refused logout ends nothing").isTrue();
        assertThat(refreshes(tokens)).isTrue();
    }

    @Test
    void whenNoIdTokenHintThenUserConfirmsWithAPostBeforeBeingSignedOut() throws Exception {
        ChromeDriver browser = browser();
        OIDCTokens tokens = signIn(browser, newUser());
        State state = new State();
        browser.get(new LogoutRequest(endSession, null, null, new ClientID(clientId), party.uri("/logged-out"), state,
                null).toURI().toString());

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                By.id("confirm-logout")));
        assertThat(browser.findElement(By.id("logout-client")).getText()).isEqualTo("Logout RP");
        Browser.screenshot(browser, "logout-confirm");
        // a GET was not enough: still signed in, tokens still good
        assertThat(refreshes(tokens)).isTrue();
        browser.findElement(By.id("confirm-logout")).click();

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(
                party.uri("/logged-out").toString()));
        assertThat(browser.getCurrentUrl()).isEqualTo(party.uri("/logged-out") + "?state=" + state.getValue());
        assertThat(signedIn(browser)).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !party.logoutTokens.isEmpty());
    }

    @Test
    void whenNoIdTokenHintAndNoRegisteredRedirectThenOurSignedOutPage() throws Exception {
        ChromeDriver browser = browser();
        signIn(browser, newUser());
        browser.get(endSession.toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                By.id("confirm-logout"))).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("signed-out")));
        assertThat(browser.getCurrentUrl()).startsWith(server.baseUrl() + PostLogoutRedirects.SIGNED_OUT_PAGE);
        Browser.screenshot(browser, "signed-out");
        assertThat(signedIn(browser)).isFalse();
    }

    @Test
    void whenConfirmationIsPostedWithoutCsrfTokenThenRefused() throws Exception {
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + LogoutPages.CONFIRM_PAGE)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + clientId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void whenReceiverFailsThenDeliveryIsRetriedUntilItSucceeds() throws Exception {
        ChromeDriver browser = browser();
        OIDCTokens tokens = signIn(browser, newUser());
        party.failuresToAnswer.set(2);
        browser.get(new LogoutRequest(endSession, tokens.getIDToken(), party.uri("/logged-out"), new State())
                .toURI().toString());

        await().atMost(Duration.ofSeconds(20)).until(() -> !party.logoutTokens.isEmpty());
        assertThat(party.failedDeliveries.get()).isEqualTo(2);
        String jti = verified(party.logoutTokens.get(0)).getJWTID();
        await().atMost(Duration.ofSeconds(10)).until(() -> audited("logout.backchannel_delivered", jti));
        assertThat(server.bean(JdbcClient.class).sql("""
                select count(*) from audit_event where type = 'logout.backchannel_failed' and details ->> 'jti' = ?""")
                .param(jti).query(Integer.class).single()).isEqualTo(2);
        assertThat(server.bean(JdbcClient.class).sql("select count(*) from backchannel_logout where jti = ?")
                .param(jti).query(Integer.class).single()).isZero();
    }

    @Test
    void whenUserSignsOutEverywhereThenBothBrowserSessionsEndAndTheClientHearsOfBoth() throws Exception {
        String user = newUser();
        ChromeDriver first = browser();
        ChromeDriver second = browser();
        OIDCTokens firstTokens = signIn(first, user);
        OIDCTokens secondTokens = signIn(second, user);
        assertThat(signedIn(second)).isTrue();

        first.get(server.baseUrl() + "/");
        first.findElement(By.id("sign-out-everywhere")).click();
        new WebDriverWait(first, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("signed-out")));

        assertThat(signedIn(first)).isFalse();
        assertThat(signedIn(second)).isFalse();
        assertThat(refreshes(firstTokens)).isFalse();
        assertThat(refreshes(secondTokens)).isFalse();
        // one logout token per session the client knows
        await().atMost(Duration.ofSeconds(10)).until(() -> party.logoutTokens.size() == 2);
        List<JWTClaimsSet> told = new java.util.ArrayList<>();
        for (String token : party.logoutTokens) {
            told.add(verified(token));
        }
        assertThat(told).extracting(JWTClaimsSet::getSubject).containsOnly(user);
        assertThat(told).extracting(claims -> claims.getClaim("sid")).containsExactlyInAnyOrder(
                firstTokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"),
                secondTokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
        await().atMost(Duration.ofSeconds(10)).until(() -> audited("logout.everywhere", null));
    }

    @Test
    void whenInstancesClaimDueDeliveriesThenEachIsClaimedByOneUntilItsLeaseEnds() throws Exception {
        JdbcClient jdbc = server.bean(JdbcClient.class);
        java.util.UUID client = jdbc.sql("select id from client where client_id = ?").param(clientId)
                .query(java.util.UUID.class).single();
        // a day ahead: the server's own delivery job (real time) leaves these rows alone
        dev.ostiary.support.TestClocks.Movable later = dev.ostiary.support.TestClocks.movable();
        later.advance(Duration.between(dev.ostiary.support.TestClocks.NOW, java.time.Instant.now().plus(Duration.ofDays(1))));
        BackchannelLogoutOutbox first = new BackchannelLogoutOutbox(jdbc, later);
        BackchannelLogoutOutbox second = new BackchannelLogoutOutbox(jdbc, later);
        String subject = "claims-" + UUID.randomUUID();
        assertThat(first.enqueue(List.of(new BackchannelLogoutOutbox.Target(client, "https://issuer", subject, "s"))))
                .isEqualTo(1);

        try {
            claimOnceThenAfterTheLease(first, second, later, subject, jdbc);
        } finally {
            // rows of other tests these day-ahead claims took: back to the server's own job
            jdbc.sql("update backchannel_logout set claimed_until = null, attempts = greatest(attempts - 1, 0)"
                    + " where claimed_until > now() + interval '1 hour'").update();
        }
    }

    /** Found by an attacker trial: 16 concurrent sign-outs of one session queued 16 deliveries. */
    @Test
    void whenOneSessionIsSignedOutConcurrentlyThenItsLogoutIsQueuedOnce() throws Exception {
        JdbcClient jdbc = server.bean(JdbcClient.class);
        java.util.UUID client = jdbc.sql("select id from client where client_id = ?").param(clientId)
                .query(java.util.UUID.class).single();
        dev.ostiary.support.TestClocks.Movable later = dev.ostiary.support.TestClocks.movable();
        later.advance(Duration.between(dev.ostiary.support.TestClocks.NOW, java.time.Instant.now().plus(Duration.ofDays(1))));
        BackchannelLogoutOutbox outbox = new BackchannelLogoutOutbox(jdbc, later);
        String subject = "once-" + UUID.randomUUID();
        BackchannelLogoutOutbox.Target session = new BackchannelLogoutOutbox.Target(client, "https://issuer", subject, "s");
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(16);
        java.util.concurrent.ExecutorService signOuts = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<Integer>> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            queued.add(signOuts.submit(() -> {
                together.await();
                return outbox.enqueue(List.of(session));
            }));
        }
        int total = 0;
        for (var one : queued) {
            total += one.get();
        }
        signOuts.shutdown();
        try {
            assertThat(total).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from backchannel_logout where subject = ?").param(subject)
                    .query(Integer.class).single()).isEqualTo(1);
            // another session of the same user is another logout
            assertThat(outbox.enqueue(List.of(new BackchannelLogoutOutbox.Target(client, "https://issuer", subject, "t"))))
                    .isEqualTo(1);
        } finally {
            jdbc.sql("delete from backchannel_logout where subject = ?").param(subject).update();
        }
    }

    private static void claimOnceThenAfterTheLease(BackchannelLogoutOutbox first, BackchannelLogoutOutbox second,
            dev.ostiary.support.TestClocks.Movable later, String subject, JdbcClient jdbc) throws Exception {
        java.util.concurrent.ExecutorService instances = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<List<BackchannelLogoutOutbox.Pending>>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            BackchannelLogoutOutbox outbox = i % 2 == 0 ? first : second;
            claims.add(instances.submit(() -> outbox.claimDue(1000, Duration.ofMinutes(1))));
        }
        long claimed = 0;
        for (var claim : claims) {
            claimed += claim.get().stream().filter(pending -> pending.subject().equals(subject)).count();
        }
        instances.shutdown();
        assertThat(claimed).as("claimed once among eight concurrent claims").isEqualTo(1);

        // the instance that claimed it died: once the lease is over, another takes it up
        later.advance(Duration.ofMinutes(2));
        List<BackchannelLogoutOutbox.Pending> retaken = second.claimDue(1000, Duration.ofMinutes(1)).stream()
                .filter(pending -> pending.subject().equals(subject)).toList();
        assertThat(retaken).hasSize(1).first().extracting(BackchannelLogoutOutbox.Pending::attempts).isEqualTo(2);
        second.delivered(retaken.get(0));
        assertThat(jdbc.sql("select count(*) from backchannel_logout where subject = ?").param(subject)
                .query(Integer.class).single()).isZero();
    }

    private static boolean audited(String type, String jti) {
        server.bean(dev.ostiary.audit.AuditTrail.class).flush();
        return server.bean(JdbcClient.class).sql("""
                select count(*) from audit_event where type = ? and (cast(? as text) is null or details ->> 'jti' = ?)""")
                .params(type, jti, jti).query(Integer.class).single() > 0;
    }
}
