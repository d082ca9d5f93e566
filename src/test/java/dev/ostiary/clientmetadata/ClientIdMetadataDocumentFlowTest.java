package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.Pkce;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.UserAgent;

/**
 * Client ID Metadata Documents end to end, on a server with them enabled and the loopback allowance
 * (the development setting), the client's document served by a JDK HTTP server on loopback: the
 * code flow with PKCE through the Nimbus SDK, the consent page naming the unregistered host, and
 * each bad document refused with an error page at the authorization endpoint (never a redirect)
 * and {@code invalid_client} at the token endpoint.
 */
class ClientIdMetadataDocumentFlowTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";

    private static StandaloneServer server;
    private static DocumentHost host;

    @BeforeAll
    static void start() throws Exception {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.client-id-metadata.enabled=true", "--ostiary.client-id-metadata.allow-loopback=true",
                "--ostiary.fetch.allow-http-loopback=true", "--ostiary.fetch.max-size=4KB",
                "--ostiary.fetch.read-timeout=1s",
                "--ostiary.client-id-metadata.scopes=openid,read",
                // every lookup fetches again: a changed document counts at once
                "--ostiary.client-id-metadata.min-cache-ttl=0s", "--ostiary.abuse.source-ip-threshold=0");
        host = DocumentHost.start();
    }

    @AfterAll
    static void stop() {
        host.close();
        server.close();
    }

    private static String authorize(String clientId, String redirectUri, String state, Pkce pkce) {
        return "/oauth2/authorize?response_type=code&client_id=" + enc(clientId) + "&redirect_uri="
                + enc(redirectUri) + "&scope=openid%20read&state=" + state + pkce.query();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String newDocument() {
        String path = "/clients/" + UUID.randomUUID() + ".json";
        host.serve(path, host.publicClient(path, CALLBACK), "max-age=300");
        return path;
    }

    private static HTTPResponse redeem(String clientId, String code, CodeVerifier verifier) throws Exception {
        return new TokenRequest(URI.create(server.baseUrl() + "/oauth2/token"), new ClientID(clientId),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(CALLBACK), verifier))
                .toHTTPRequest().send();
    }

    @Test
    void whenEnabledThenDiscoveryAdvertisesClientIdMetadataDocuments() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(server.baseUrl()));
        assertThat(metadata.getCustomParameter("client_id_metadata_document_supported")).isEqualTo(true);
    }

    @Test
    void whenDocumentServedThenCodeFlowWithPkceAndConsentNamesTheUnregisteredHost() throws Exception {
        String clientId = host.url(newDocument());
        Pkce pkce = Pkce.s256();
        UserAgent agent = new UserAgent(server.baseUrl());
        agent.login("alice", "alice-pw");
        HttpResponse<String> consent = agent.follow(authorize(clientId, CALLBACK, "st-1", pkce));
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("submit-consent", "Not registered with this server",
                "id=\"unregistered-host\">127.0.0.1:" + URI.create(clientId).getPort() + "<", "Example Tool")
                .doesNotContain("id=\"registered-by\"");

        String redirect = UserAgent.location(agent.answerConsent(consent.body(), clientId, List.of("openid", "read")));
        assertThat(redirect).startsWith(CALLBACK + "?");
        Map<String, String> parameters = UserAgent.parameters(redirect, false);
        assertThat(parameters).containsEntry("state", "st-1").containsKey("code");

        TokenResponse tokens = TokenResponse.parse(redeem(clientId, parameters.get("code"), pkce.verifier()));
        assertThat(tokens.indicatesSuccess()).as(String.valueOf(tokens)).isTrue();
        JWTClaimsSet claims = Jwks.verify(server.baseUrl(),
                tokens.toSuccessResponse().getTokens().getAccessToken().getValue());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getSubject()).isEqualTo("alice");
    }

    @Test
    void whenRedirectUriRemovedFromTheDocumentThenTheNextAuthorizationIsRefusedWithoutRedirect() throws Exception {
        String path = "/clients/" + UUID.randomUUID() + ".json";
        // max-age=0: kept for the configured minimum, zero on this server
        host.serve(path, host.publicClient(path, CALLBACK), "max-age=0");
        String clientId = host.url(path);
        UserAgent agent = new UserAgent(server.baseUrl());
        agent.login("alice", "alice-pw");
        assertThat(agent.follow(authorize(clientId, CALLBACK, "s", Pkce.s256())).statusCode()).isEqualTo(200);

        host.serve(path, host.publicClient(path, "http://127.0.0.1:18999/elsewhere"), null);
        HttpResponse<String> refused = agent.follow(authorize(clientId, CALLBACK, "s", Pkce.s256()));
        assertThat(UserAgent.isRedirect(refused)).isFalse();
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void whenLoopbackRedirectWithAnotherPortThenRefusedBecauseMatchedExactly() throws Exception {
        String clientId = host.url(newDocument());
        UserAgent agent = new UserAgent(server.baseUrl());
        agent.login("alice", "alice-pw");
        HttpResponse<String> refused = agent.follow(authorize(clientId, "http://127.0.0.1:18998/callback", "s",
                Pkce.s256()));
        assertThat(UserAgent.isRedirect(refused)).isFalse();
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void whenDocumentIsBadThenErrorPageAtAuthorizationAndInvalidClientAtToken() throws Exception {
        String wrongId = "/bad/" + UUID.randomUUID() + ".json";
        host.serve(wrongId, host.publicClient("/bad/someone-else.json", CALLBACK), null);
        String secret = "/bad/" + UUID.randomUUID() + ".json";
        host.serve(secret, host.publicClient(secret, CALLBACK).replace("\"none\"", "\"client_secret_post\""), null);
        String oversize = "/bad/" + UUID.randomUUID() + ".json";
        host.serve(oversize, host.publicClient(oversize, CALLBACK).replace("Example Tool", "x".repeat(5000)), null);
        String target = newDocument();
        String moved = "/bad/" + UUID.randomUUID() + ".json";
        host.redirect(moved, host.url(target));
        String slow = "/bad/" + UUID.randomUUID() + ".json";
        host.trickle(slow, host.publicClient(slow, CALLBACK));

        UserAgent agent = new UserAgent(server.baseUrl());
        agent.login("alice", "alice-pw");
        for (String path : List.of(wrongId, secret, oversize, moved, slow)) {
            String clientId = host.url(path);
            HttpResponse<String> page = agent.follow(authorize(clientId, CALLBACK, "s", Pkce.s256()));
            assertThat(UserAgent.isRedirect(page)).as(path).isFalse();
            assertThat(page.statusCode()).as(path).isEqualTo(400);

            HTTPResponse token = redeem(clientId, "any-code", new CodeVerifier());
            assertThat(token.getStatusCode()).as(path).isEqualTo(401);
            assertThat(TokenErrorResponse.parse(token).getErrorObject().getCode()).isEqualTo("invalid_client");
        }
        assertThat(host.hits(target)).isEqualTo(0);
    }

    @Test
    void whenDocumentsFetchedOrRefusedThenAudited() throws Exception {
        String good = host.url(newDocument());
        String bad = "/bad/" + UUID.randomUUID() + ".json";
        host.serve(bad, host.publicClient("/bad/other.json", CALLBACK), null);
        redeem(good, "any-code", new CodeVerifier());
        redeem(host.url(bad), "any-code", new CodeVerifier());
        redeem(host.url("/missing-" + UUID.randomUUID()), "any-code", new CodeVerifier());
        org.springframework.jdbc.core.simple.JdbcClient jdbc = server.bean(
                org.springframework.jdbc.core.simple.JdbcClient.class);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(jdbc.sql(
                "select distinct type from audit_event where type like 'client_metadata.%'")
                .query(String.class).list()).contains("client_metadata.fetched", "client_metadata.refused",
                        "client_metadata.failed"));
    }

    @Test
    void whenSignedOutThenTheLoginPageSaysTheClientIsUnregisteredAndNamesItsHost() throws Exception {
        String clientId = host.url(newDocument());
        UserAgent agent = new UserAgent(server.baseUrl());
        HttpResponse<String> login = agent.follow(authorize(clientId, CALLBACK, "s", Pkce.s256()));
        assertThat(login.body()).contains("to continue to <strong>Example Tool</strong>",
                "Not registered with this server", "127.0.0.1:" + URI.create(clientId).getPort());
    }

    @Test
    void whenUserApprovesInChromiumThenConsentShowsTheUnregisteredHostAndTheCodeRedeems() throws Exception {
        String clientId = host.url(newDocument());
        CodeVerifier verifier = new CodeVerifier();
        com.nimbusds.oauth2.sdk.id.State state = new com.nimbusds.oauth2.sdk.id.State();
        URI request = new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(
                new com.nimbusds.oauth2.sdk.ResponseType(com.nimbusds.oauth2.sdk.ResponseType.Value.CODE),
                new ClientID(clientId))
                .endpointURI(URI.create(server.baseUrl() + "/oauth2/authorize")).redirectionURI(URI.create(CALLBACK))
                .scope(new com.nimbusds.oauth2.sdk.Scope("openid", "read")).state(state)
                .codeChallenge(verifier, com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256).build().toURI();
        org.openqa.selenium.chrome.ChromeDriver browser = dev.ostiary.support.Browser.start();
        try {
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10));
            browser.get(request.toString());
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                    org.openqa.selenium.By.id("username")));
            browser.findElement(org.openqa.selenium.By.id("username")).sendKeys("alice");
            browser.findElement(org.openqa.selenium.By.id("password")).sendKeys("alice-pw",
                    org.openqa.selenium.Keys.ENTER);
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(
                    org.openqa.selenium.By.id("submit-consent")));
            String page = browser.findElement(org.openqa.selenium.By.tagName("body")).getText();
            assertThat(page).contains("Example Tool", "Not registered with this server — its details come from 127.0.0.1:"
                    + URI.create(clientId).getPort());
            assertThat(browser.findElement(org.openqa.selenium.By.id("unregistered-host")).getText())
                    .isEqualTo("127.0.0.1:" + URI.create(clientId).getPort());
            dev.ostiary.support.Browser.screenshot(browser, "consent-unregistered-client");
            browser.findElement(org.openqa.selenium.By.id("submit-consent")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(CALLBACK));
            var response = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(URI.create(browser.getCurrentUrl()));
            assertThat(response.getState()).isEqualTo(state);
            TokenResponse tokens = TokenResponse.parse(redeem(clientId,
                    response.toSuccessResponse().getAuthorizationCode().getValue(), verifier));
            assertThat(tokens.indicatesSuccess()).isTrue();
        } finally {
            browser.quit();
        }
    }

    /** Signs in as alice (no second factor), approves if asked, and returns the code for {@code clientId}. */
    private static String approvedCode(String clientId, Pkce pkce) throws Exception {
        UserAgent agent = new UserAgent(server.baseUrl());
        agent.login("alice", "alice-pw");
        HttpResponse<String> consent = agent.follow(authorize(clientId, CALLBACK, "st", pkce));
        // asked once: the second time the consent given is remembered
        String redirect = UserAgent.isRedirect(consent) ? UserAgent.location(consent)
                : UserAgent.location(agent.answerConsent(consent.body(), clientId, List.of("openid", "read")));
        assertThat(redirect).startsWith(CALLBACK + "?code=");
        HttpResponse<String> consents = agent.get("/account/consents");
        assertThat(consents.body()).as("the consent is listed, found by its id").contains(clientId);
        return UserAgent.parameters(redirect, false).get("code");
    }

    @Test
    void whenDocumentDeclaresKeysThenPrivateKeyJwtWithThemAndNotWithoutThem() throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID(UUID.randomUUID().toString()).generate();
        String path = "/clients/" + UUID.randomUUID() + ".json";
        String clientId = host.url(path);
        host.serve(path, host.publicClient(path, CALLBACK).replace("\"none\"", "\"private_key_jwt\",\"jwks\":{\"keys\":["
                + key.toPublicJWK().toJSONString() + "]}"), "max-age=300");
        URI tokenEndpoint = URI.create(server.baseUrl() + "/oauth2/token");

        Pkce pkce = Pkce.s256();
        String code = approvedCode(clientId, pkce);
        HTTPResponse withoutAssertion = redeem(clientId, code, pkce.verifier());
        assertThat(withoutAssertion.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(withoutAssertion).getErrorObject().getCode()).isEqualTo("invalid_client");

        Pkce second = Pkce.s256();
        String secondCode = approvedCode(clientId, second);
        com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
                new ClientID(clientId), tokenEndpoint, com.nimbusds.jose.JWSAlgorithm.RS256, key.toRSAPrivateKey(),
                key.getKeyID(), null);
        TokenResponse tokens = TokenResponse.parse(new TokenRequest(tokenEndpoint, assertion,
                new AuthorizationCodeGrant(new AuthorizationCode(secondCode), URI.create(CALLBACK), second.verifier()))
                .toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).as(String.valueOf(tokens)).isTrue();
    }
}
