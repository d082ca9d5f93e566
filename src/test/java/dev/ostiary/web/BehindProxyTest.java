package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;

/**
 * Behind a TLS-terminating proxy (nginx on the public https port, the node on loopback): from a
 * trusted proxy, {@code X-Forwarded-Proto/Host/Port} make the request the public one, so every URL
 * Ostiary builds from a request and every check against the request URL use the public https URL;
 * from anybody else the same headers change nothing. The proxy is told apart by the address a
 * request comes from (127.0.0.2 is trusted, 127.0.0.1 is not), so one server serves both cases.
 */
class BehindProxyTest {

    private static final String PROXY = "127.0.0.2";
    private static final String NOT_A_PROXY = "127.0.0.1";
    private static final String PUBLIC = "https://id.example.test:8443";
    private static final Map<String, String> FORWARDED = Map.of("X-Forwarded-Proto", "https",
            "X-Forwarded-Host", "id.example.test", "X-Forwarded-Port", "8443", "X-Forwarded-For", "198.51.100.7");
    private static final String AUTHORIZE = "/oauth2/authorize?response_type=code&client_id=web-app&scope=read"
            + "&redirect_uri=http://127.0.0.1:18999/callback&state=s1"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

    private static StandaloneServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.trusted-proxies=" + PROXY + "/32", "--ostiary.issuer=" + PUBLIC,
                "--ostiary.dpop.nonce-required=false", "--ostiary.demo.allow-non-loopback-issuer=true");
        http = new RawHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Response send(String from, String method, String target, Map<String, String> extra,
            String body) throws Exception {
        Map<String, String> headers = new java.util.LinkedHashMap<>(FORWARDED);
        headers.putAll(extra);
        return http.send(from, method, target, headers, body);
    }

    @Test
    void whenForwardedByTrustedProxyThenLoginRedirectAndCookiesArePublicHttps() throws Exception {
        RawHttp.Response authorize = send(PROXY, "GET", AUTHORIZE, Map.of("Accept", "text/html"), null);
        assertThat(authorize.status()).isEqualTo(302);
        assertThat(authorize.header("Location")).isEqualTo(PUBLIC + "/login");
        // the request is secure: the session cookie may only go back over https
        assertThat(authorize.header("Set-Cookie")).contains("SESSION=").containsIgnoringCase("; Secure").contains("SameSite=Lax");
        String session = cookie(authorize);

        RawHttp.Response page = send(PROXY, "GET", "/login", Map.of("Cookie", session, "Accept", "text/html"), null);
        assertThat(page.status()).isEqualTo(200);
        RawHttp.Response login = send(PROXY, "POST", "/login", Map.of("Cookie", session,
                "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"),
                "username=alice&password=alice-pw&_csrf=" + csrf(page.body()));
        // back to the saved authorization request, at its public URL
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).startsWith(PUBLIC + "/oauth2/authorize?");
        assertThat(login.header("Set-Cookie")).containsIgnoringCase("; Secure");

        // the consent page, then the answer to the client: the client's registered redirect URI
        String signedIn = cookie(login);
        RawHttp.Response resumed = send(PROXY, "GET", target(login.header("Location")),
                Map.of("Cookie", signedIn, "Accept", "text/html"), null);
        // Spring's redirect to the consent page is built from the request URL: the public one
        assertThat(resumed.status()).isEqualTo(302);
        assertThat(resumed.header("Location")).startsWith(PUBLIC + "/oauth2/consent?");
        RawHttp.Response consent = send(PROXY, "GET", target(resumed.header("Location")),
                Map.of("Cookie", signedIn, "Accept", "text/html"), null);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("action=\"/oauth2/authorize\"");
        RawHttp.Response logout = send(PROXY, "POST", "/logout", Map.of("Cookie", signedIn,
                "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"),
                "_csrf=" + csrf(consent.body()));
        assertThat(logout.status()).isEqualTo(302);
        assertPublicOrRelative(logout.header("Location"));
    }

    /** RP-initiated logout without a session goes to the signed-out page: at the public URL. */
    @Test
    void whenLogoutRedirectsThroughTrustedProxyThenPublicOrRelative() throws Exception {
        RawHttp.Response logout = send(PROXY, "GET", "/connect/logout", Map.of("Accept", "text/html"), null);
        assertThat(logout.status()).isEqualTo(302);
        assertPublicOrRelative(logout.header("Location"));
        assertThat(logout.header("Location")).isEqualTo(PUBLIC + "/logout/done");
    }

    @Test
    void whenSameHeadersFromUntrustedAddressThenIgnored() throws Exception {
        RawHttp.Response authorize = send(NOT_A_PROXY, "GET", AUTHORIZE, Map.of("Accept", "text/html"), null);
        assertThat(authorize.status()).isEqualTo(302);
        assertThat(authorize.header("Location")).isEqualTo(server.baseUrl() + "/login");
        assertThat(authorize.header("Set-Cookie")).contains("SESSION=").doesNotContainIgnoringCase("Secure");
    }

    /** RFC 9449 §4.3: {@code htu} is the token endpoint as the client called it, the public URL. */
    @Test
    void whenDPoPProofNamesPublicTokenEndpointThenAcceptedOnlyThroughTrustedProxy() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        URI publicEndpoint = URI.create(PUBLIC + "/oauth2/token");
        URI nodeEndpoint = URI.create(server.baseUrl() + "/oauth2/token");

        RawHttp.Response publicProof = passwordGrant(PROXY, proofs.createDPoPJWT("POST", publicEndpoint).serialize());
        assertThat(publicProof.status()).as(publicProof.body()).isEqualTo(200);
        assertThat(publicProof.body()).contains("\"token_type\":\"DPoP\"");
        // the node's own URL is not the one the client called through the proxy
        RawHttp.Response nodeProof = passwordGrant(PROXY, proofs.createDPoPJWT("POST", nodeEndpoint).serialize());
        assertThat(nodeProof.status()).isEqualTo(400);
        assertThat(nodeProof.body()).contains("invalid_dpop_proof");
        // and forged forwarding headers do not make a public proof fit a direct request
        RawHttp.Response forged = passwordGrant(NOT_A_PROXY, proofs.createDPoPJWT("POST", publicEndpoint).serialize());
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body()).contains("invalid_dpop_proof");
        RawHttp.Response direct = passwordGrant(NOT_A_PROXY, proofs.createDPoPJWT("POST", nodeEndpoint).serialize());
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
    }

    @Test
    void whenBehindProxyThenMetadataAndDeviceVerificationUriArePublic() throws Exception {
        for (String from : new String[] { PROXY, NOT_A_PROXY }) {
            RawHttp.Response discovery = send(from, "GET", "/.well-known/openid-configuration", Map.of(), null);
            assertThat(discovery.status()).isEqualTo(200);
            assertThat(discovery.body()).contains("\"issuer\":\"" + PUBLIC + "\"")
                    .contains("\"token_endpoint\":\"" + PUBLIC + "/oauth2/token\"")
                    .contains("\"jwks_uri\":\"" + PUBLIC + "/oauth2/jwks\"")
                    .doesNotContain("http://localhost").doesNotContain("127.0.0.1:");
            RawHttp.Response oauth = send(from, "GET", "/.well-known/oauth-authorization-server", Map.of(), null);
            assertThat(oauth.status()).isEqualTo(200);
            assertThat(oauth.body()).contains("\"issuer\":\"" + PUBLIC + "\"").doesNotContain("http://localhost");

            RawHttp.Response device = send(from, "POST", "/oauth2/device_authorization",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), "client_id=demo-tv&scope=read");
            assertThat(device.status()).as(device.body()).isEqualTo(200);
            assertThat(device.body()).contains("\"verification_uri\":\"" + PUBLIC + "/activate\"")
                    .contains("\"verification_uri_complete\":\"" + PUBLIC + "/activate?");
        }
    }

    private static RawHttp.Response passwordGrant(String from, String proof) throws Exception {
        return send(from, "POST", "/oauth2/token", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", RawHttp.basic("trusted-app", "trusted-secret"), "DPoP", proof),
                "grant_type=password&username=alice&password=alice-pw&scope=read");
    }

    private static void assertPublicOrRelative(String location) {
        assertThat(location).satisfiesAnyOf(l -> assertThat(l).startsWith(PUBLIC + "/"),
                l -> assertThat(l).startsWith("/").doesNotStartWith("//"));
    }

    private static String target(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String cookie(RawHttp.Response response) {
        String setCookie = response.header("Set-Cookie");
        assertThat(setCookie).isNotNull();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrf(String html) {
        Matcher matcher = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(html);
        if (!matcher.find()) {
            matcher = Pattern.compile("value=\"([^\"]+)\"\\s+name=\"_csrf\"").matcher(html);
            assertThat(matcher.find()).as("a CSRF field in %s", html).isTrue();
        }
        return matcher.group(1);
    }
}
