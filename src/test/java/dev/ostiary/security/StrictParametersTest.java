package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.ostiary.support.RawHttp;
import dev.ostiary.support.ServerTest;

/**
 * Class 7 of the review: strict parameters at the edge of the token, introspection, revocation and
 * authorization endpoints (RFC 6749 §2.3, §3.1, §3.2; RFC 7662 §2.1; RFC 7009 §2.1; RFC 9449 §4.1).
 * Every refusal is a 400 {@code invalid_request}, never a 5xx, and nothing is logged at ERROR.
 */
class StrictParametersTest extends ServerTest {

    private static final String SVC = RawHttp.basic("svc-client", "svc-secret");
    private static final List<String> CLIENT_ENDPOINTS = List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke");

    private RawHttp raw() {
        return new RawHttp(baseUrl());
    }

    private static void assertInvalidRequest(RawHttp.Response response, String what) {
        assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(400);
        assertThat(response.body()).as(what).contains("\"invalid_request\"").doesNotContain("access_token")
                .doesNotContain("Exception");
    }

    @Test
    void whenCodeIsRepeatedThenInvalidRequestNot500() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            for (String body : List.of("grant_type=authorization_code&code=a&code=b&redirect_uri=http://127.0.0.1:18999/callback",
                    "grant_type=authorization_code&code=a&code_verifier=x&code_verifier=y",
                    "grant_type=refresh_token&refresh_token=a&refresh_token=b",
                    "grant_type=client_credentials&grant_type=client_credentials",
                    "grant_type=client_credentials&scope=read&scope=write")) {
                assertInvalidRequest(raw().post("/oauth2/token", RawHttp.form("Authorization",
                        body.contains("client_credentials") ? SVC : RawHttp.basic("web-app", "web-secret")), body), body);
            }
            assertInvalidRequest(raw().post("/oauth2/introspect", RawHttp.form("Authorization", SVC), "token=a&token=b"),
                    "introspect");
            assertInvalidRequest(raw().post("/oauth2/revoke", RawHttp.form("Authorization", SVC), "token=a&token=b"),
                    "revoke");
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
    }

    /** Pushed authorization requests (RFC 9126) are client-authenticated too: the same edge rules. */
    @Test
    void whenPushedAuthorizationRequestIsMalformedThenInvalidRequest() throws Exception {
        String web = RawHttp.basic("web-app", "web-secret");
        String request = "response_type=code&client_id=web-app&redirect_uri=http://127.0.0.1:18999/callback"
                + "&scope=read&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        assertThat(raw().post("/oauth2/par", RawHttp.form("Authorization", web), request).status()).isEqualTo(201);
        for (String path : List.of("/oauth2/par", "/oauth2/p%61r")) {
            assertInvalidRequest(raw().post(path, RawHttp.form("Authorization", web), request + "&state=a&state=b"),
                    path + " repeated state");
            assertInvalidRequest(raw().post(path, Map.of("Authorization", web, "Content-Type", "application/json"),
                    "{\"response_type\":\"code\"}"), path + " json");
            assertInvalidRequest(raw().post(path, RawHttp.form("Authorization", web),
                    request + "&client_secret=web-secret"), path + " two client authentication methods");
        }
    }

    @Test
    void whenBodyIsMultipartThenInvalidRequest() throws Exception {
        String multipart = "--zzz\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n"
                + "--zzz\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nx\r\n--zzz--\r\n";
        Map<String, String> contentTypes = Map.of(
                "multipart/form-data; boundary=zzz", multipart,
                "application/json", "{\"grant_type\":\"client_credentials\",\"token\":\"x\"}",
                "text/plain", "grant_type=client_credentials&token=x",
                "application/xml", "<grant_type>client_credentials</grant_type>",
                "application/x-www-form-urlencoded; charset=ISO-8859-1", "grant_type=client_credentials&token=x",
                "application/x-www-form-urlencoded; charset=garbage", "grant_type=client_credentials&token=x",
                "not a media type", "grant_type=client_credentials&token=x");
        for (String endpoint : CLIENT_ENDPOINTS) {
            for (Map.Entry<String, String> body : contentTypes.entrySet()) {
                assertInvalidRequest(raw().post(endpoint, Map.of("Authorization", SVC, "Content-Type", body.getKey()),
                        body.getValue()), endpoint + " " + body.getKey());
            }
            assertInvalidRequest(raw().post(endpoint, Map.of("Authorization", SVC), "grant_type=client_credentials&token=x"),
                    endpoint + " without a content type");
        }
        // the same request as a form is fine, with or without charset=UTF-8
        assertThat(raw().post("/oauth2/token", RawHttp.form("Authorization", SVC), "grant_type=client_credentials")
                .status()).isEqualTo(200);
        assertThat(raw().post("/oauth2/token", Map.of("Authorization", SVC, "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8"), "grant_type=client_credentials").status())
                .isEqualTo(200);
    }

    @Test
    void whenTwoClientAuthenticationMethodsThenInvalidRequest() throws Exception {
        String assertion = "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=a.b.c";
        for (String endpoint : CLIENT_ENDPOINTS) {
            String base = endpoint.equals("/oauth2/token") ? "grant_type=client_credentials" : "token=x";
            // Basic plus client_secret_post, with the right or a wrong secret in the body
            assertInvalidRequest(raw().post(endpoint, RawHttp.form("Authorization", SVC),
                    base + "&client_id=svc-client&client_secret=svc-secret"), endpoint + " basic+post");
            assertInvalidRequest(raw().post(endpoint, RawHttp.form("Authorization", SVC),
                    base + "&client_id=svc-client&client_secret=wrong"), endpoint + " basic+post(wrong)");
            // Basic plus a client assertion; client_secret_post plus a client assertion
            assertInvalidRequest(raw().post(endpoint, RawHttp.form("Authorization", SVC), base + assertion),
                    endpoint + " basic+jwt");
            assertInvalidRequest(raw().post(endpoint, RawHttp.form(),
                    base + "&client_id=svc-client&client_secret=svc-secret" + assertion), endpoint + " post+jwt");
            // a body client_id naming another client than the Basic header
            assertInvalidRequest(raw().post(endpoint, RawHttp.form("Authorization", SVC), base + "&client_id=demo-api"),
                    endpoint + " basic for another client_id");
        }
        // one method, or Basic with the same client_id in the body, is fine
        assertThat(raw().post("/oauth2/token", RawHttp.form(),
                "grant_type=client_credentials&client_id=svc-client&client_secret=svc-secret").status()).isEqualTo(200);
        assertThat(raw().post("/oauth2/token", RawHttp.form("Authorization", SVC),
                "grant_type=client_credentials&client_id=svc-client").status()).isEqualTo(200);
    }

    /** Trial F5: Spring reads the first of two Authorization headers; a proxy may read the last. */
    @Test
    void whenTwoAuthorizationHeadersThenInvalidRequest() throws Exception {
        String other = RawHttp.basic("demo-api", "api-secret");
        String wrong = RawHttp.basic("svc-client", "wrong");
        for (String endpoint : CLIENT_ENDPOINTS) {
            String body = endpoint.equals("/oauth2/token") ? "grant_type=client_credentials" : "token=x";
            for (List<String> pair : List.of(List.of(SVC, other), List.of(wrong, SVC), List.of(SVC, wrong),
                    List.of(SVC, SVC), List.of(SVC, "Bearer x"))) {
                RawHttp.Response response = raw().sendLines("127.0.0.1", "POST", endpoint, List.of(
                        "Content-Type: application/x-www-form-urlencoded",
                        "Authorization: " + pair.get(0), "Authorization: " + pair.get(1)), body);
                assertInvalidRequest(response, endpoint + " two Authorization headers");
                assertThat(response.body()).contains("Exactly one Authorization header");
            }
        }
        // one header is fine
        assertThat(raw().sendLines("127.0.0.1", "POST", "/oauth2/token", List.of(
                "Content-Type: application/x-www-form-urlencoded", "Authorization: " + SVC),
                "grant_type=client_credentials").status()).isEqualTo(200);
    }

    @Test
    void whenDPoPProofIsInFormFieldsThenItIsIgnoredOrRefused() throws Exception {
        URI htu = URI.create("https://x.example/y");
        String proof = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256)
                .createDPoPJWT("POST", htu).serialize();
        String dpopFields = "&dpop_proof=" + proof + "&dpop_method=POST&dpop_target_uri="
                + URLEncoder.encode(htu.toString(), StandardCharsets.UTF_8);
        RawHttp.Response password = raw().post("/oauth2/token", RawHttp.form("Authorization",
                RawHttp.basic("trusted-app", "trusted-secret")),
                "grant_type=password&username=alice&password=alice-pw&scope=read" + dpopFields);
        assertInvalidRequest(password, "password grant");
        assertInvalidRequest(raw().post("/oauth2/token", RawHttp.form("Authorization", SVC),
                "grant_type=client_credentials" + dpopFields), "client credentials");
        for (String field : List.of("dpop_proof=" + proof, "dpop_method=POST", "dpop_target_uri=https%3A%2F%2Fx")) {
            assertInvalidRequest(raw().post("/oauth2/token", RawHttp.form("Authorization", SVC),
                    "grant_type=client_credentials&" + field), field);
        }
    }

    @Test
    void whenParametersAreInTheQueryStringThenInvalidRequest() throws Exception {
        String trusted = RawHttp.basic("trusted-app", "trusted-secret");
        // review I7: a percent-encoded name is the same parameter
        for (String query : List.of("?password=alice-pw", "?pass%77ord=alice-pw", "?%75sername=alice")) {
            assertInvalidRequest(raw().post("/oauth2/token" + query, RawHttp.form("Authorization", trusted),
                    "grant_type=password&username=alice&password=alice-pw"), query);
        }
        // credentials and duplicates across query and body
        assertInvalidRequest(raw().post("/oauth2/token?client_secret=svc-secret", RawHttp.form(),
                "grant_type=client_credentials&client_id=svc-client"), "secret in the query");
        assertInvalidRequest(raw().post("/oauth2/token?grant_type=client_credentials", RawHttp.form("Authorization", SVC),
                "grant_type=client_credentials"), "grant_type in query and body");
        assertInvalidRequest(raw().post("/oauth2/introspect?token=x", RawHttp.form("Authorization", SVC), ""),
                "introspection token in the query");
    }

    @Test
    void whenTheFormIsOddOrHugeThenClientErrorNot500() throws Exception {
        // past Tomcat's parameter count limit, with distinct names and with one name repeated
        String many = "grant_type=client_credentials" + java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> "&x" + i + "=1").collect(java.util.stream.Collectors.joining());
        String sameName = "grant_type=client_credentials" + "&x=1".repeat(20_000);
        for (String body : List.of("", "=", "&&&", "=x&=y", "%zz=1&grant_type=client_credentials",
                "grant_type=client_credentials&%E0%A4%A=1", "grant_type=client_%C3%28credentials", many, sameName)) {
            for (String endpoint : CLIENT_ENDPOINTS) {
                RawHttp.Response response = raw().post(endpoint, RawHttp.form("Authorization", SVC), body);
                String what = endpoint + " " + body.substring(0, Math.min(60, body.length()));
                assertThat(response.status()).as(what + ": " + response.body()).isBetween(200, 499);
                assertThat(response.body()).as(what).doesNotContain("Exception");
            }
        }
    }

    @Test
    void whenAuthorizationRequestRepeatsAParameterThenErrorPageNotRedirect() throws Exception {
        String state = UUID.randomUUID().toString();
        for (String repeated : List.of("&client_id=web-app", "&redirect_uri=http://127.0.0.1:18999/callback",
                "&state=other", "&response_type=code", "&scope=write", "&dpop_proof=x")) {
            RawHttp.Response response = raw().get("/oauth2/authorize?response_type=code&client_id=web-app"
                    + "&redirect_uri=http://127.0.0.1:18999/callback&scope=read&state=" + state
                    + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256" + repeated,
                    Map.of("Accept", "text/html"));
            assertThat(response.status()).as(repeated).isEqualTo(400);
            assertThat(response.header("Location")).as(repeated).isNull();
        }
    }
}
