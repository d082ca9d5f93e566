package dev.ostiary.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * Ten thousand malformed requests, made by a seeded generator (the seed is in every failure
 * message, and {@code -Dostiary.fuzz.seed=…} replays a run): random and repeated parameters,
 * oversized values, wrong content types, broken Basic headers, invalid UTF-8, to the token,
 * authorization, introspection and revocation endpoints. Every answer must be a 4xx with an error
 * body (or a redirect to the login page), never a 5xx; afterwards a valid request still works.
 * Abuse locks are off on this server: the point is the parsers, not the 429s.
 */
class MalformedRequestsFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final String[] ENDPOINTS = { "/oauth2/token", "/oauth2/authorize", "/oauth2/introspect",
            "/oauth2/revoke" };
    private static final String[] NAMES = { "grant_type", "client_id", "client_secret", "scope", "code",
            "refresh_token", "token", "token_type_hint", "redirect_uri", "response_type", "state", "code_verifier",
            "code_challenge", "code_challenge_method", "username", "password", "nonce", "request_uri", "prompt",
            "client_assertion", "client_assertion_type", "resource", "audience", "x" };
    private static final String[] VALUES = { "client_credentials", "password", "authorization_code", "refresh_token",
            "implicit", "urn:ietf:params:oauth:grant-type:device_code", "code", "token", "id_token token",
            "svc-client", "web-app", "spa", "trusted-app", "read", "read write admin", "openid",
            "http://127.0.0.1:18999/callback", "https://evil.example/", "S256", "plain", "none", "", " ",
            "\u0000", "\r\n", "é漢字🔥", "%zz", "%", "+", "&", "=", "'; drop table client; --", "${jndi:ldap://x}",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "a.b.c", "....", "null", "[]", "{}", "-1",
            "99999999999999999999" };

    private static StandaloneServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.users.lockout-threshold=1000000");
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedRequestsGetClientErrorsNeverServerErrorsAndTheServerKeepsServing() throws Exception {
        long seed = Long.getLong("ostiary.fuzz.seed", System.nanoTime());
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long threadSeed = seed + t;
            results.add(pool.submit(() -> fuzz(new Random(threadSeed), REQUESTS / threads, threadSeed)));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> result : results) {
            failures.addAll(result.get());
        }
        pool.shutdown();
        assertThat(failures).as("seed %d (replay with -Dostiary.fuzz.seed=%d)", seed, seed).isEmpty();
        assertThat(TokensClient.clientCredentials(server.baseUrl(), "svc-client", "svc-secret", "read")).isNotBlank();
    }

    private static List<String> fuzz(Random random, int count, long seed) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count && failures.size() < 20; i++) {
            HttpRequest request = randomRequest(random);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String problem = judge(request, response);
                if (problem != null) {
                    failures.add("seed " + seed + " #" + i + " " + describe(request) + " -> " + problem);
                }
            } catch (Exception e) {
                failures.add("seed " + seed + " #" + i + " " + describe(request) + " -> " + e);
            }
        }
        return failures;
    }

    private static String describe(HttpRequest request) {
        String uri = request.uri().toString();
        return request.method() + " " + (uri.length() > 160 ? uri.substring(0, 160) + "…" : uri);
    }

    private static String judge(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status >= 500) {
            return status + " " + body.substring(0, Math.min(200, body.length()));
        }
        if (body.contains("Exception") || body.contains("\tat ")) {
            return "stack trace in body: " + body.substring(0, Math.min(200, body.length()));
        }
        if (status / 100 == 3) {
            String location = response.headers().firstValue("Location").orElse("");
            boolean login = location.startsWith(server.baseUrl() + "/login") || location.startsWith("/login");
            boolean errorToRegisteredClient = location.startsWith("http://127.0.0.1:18999/") && location.contains("error=");
            return login || errorToRegisteredClient ? null : "redirect to " + location;
        }
        if (status == 200 && request.uri().getPath().equals("/oauth2/revoke")) {
            return null; // RFC 7009 §2.2: an invalid token is answered 200
        }
        if (status == 200 && request.uri().getPath().equals("/oauth2/introspect") && body.contains("\"active\":false")) {
            return null; // RFC 7662: an invalid token is simply inactive
        }
        if (status < 400) {
            return "unexpected success " + status + " " + body.substring(0, Math.min(200, body.length()));
        }
        boolean errorBody = body.contains("\"error\"") || body.contains("<h1");
        return errorBody ? null : "no error body: " + status + " " + body.substring(0, Math.min(200, body.length()));
    }

    private static HttpRequest randomRequest(Random random) {
        String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        byte[] form = randomForm(random);
        String method = random.nextInt(10) < 8 ? "POST" : new String[] { "GET", "PUT", "DELETE", "PATCH" }[random.nextInt(4)];
        // the query stays under the container's request-line limit; oversized values go in bodies
        String rawQuery = new String(randomForm(random), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x21-\\x7e]", "%20").replace("#", "%23");
        String query = random.nextInt(4) == 0 || endpoint.equals("/oauth2/authorize")
                ? "?" + rawQuery.substring(0, Math.min(rawQuery.length(), 4000)).replaceAll("%[0-9A-Fa-f]?$", "")
                : "";
        URI uri;
        try {
            uri = URI.create(server.baseUrl() + endpoint + query);
        } catch (IllegalArgumentException e) {
            uri = URI.create(server.baseUrl() + endpoint);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        switch (random.nextInt(6)) {
            case 0 -> builder.header("Content-Type", "application/json");
            case 1 -> builder.header("Content-Type", "text/plain; charset=utf-8");
            case 2 -> builder.header("Content-Type", "multipart/form-data; boundary=zzz");
            case 3 -> { }
            default -> builder.header("Content-Type", "application/x-www-form-urlencoded");
        }
        switch (random.nextInt(8)) {
            case 0 -> builder.header("Authorization", "Basic " + asciiText(random, 1 + random.nextInt(40)));
            case 1 -> builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    randomText(random, random.nextInt(60)).getBytes(StandardCharsets.UTF_8)));
            case 2 -> builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("svc-client:" + randomText(random, 5)).getBytes(StandardCharsets.UTF_8)));
            case 3 -> builder.header("Authorization", "Bearer " + asciiText(random, random.nextInt(200)));
            case 4 -> builder.header("Authorization", "Basic " + "A".repeat(8_000));
            case 5 -> builder.header("Accept", "text/html");
            default -> { }
        }
        boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        return builder.method(method, withBody ? HttpRequest.BodyPublishers.ofByteArray(form)
                : HttpRequest.BodyPublishers.noBody()).build();
    }

    private static byte[] randomForm(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parameters = random.nextInt(8);
        for (int p = 0; p < parameters; p++) {
            if (p > 0) {
                out.write('&');
            }
            String name = NAMES[random.nextInt(NAMES.length)];
            out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            if (random.nextInt(10) == 0) {
                continue; // a name without '='
            }
            out.write('=');
            switch (random.nextInt(7)) {
                case 0 -> out.writeBytes("x".repeat(random.nextInt(20_000)).getBytes(StandardCharsets.US_ASCII));
                case 1 -> {
                    // invalid UTF-8, raw and percent-encoded
                    out.writeBytes(new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE });
                    out.writeBytes("%C3%28%FF".getBytes(StandardCharsets.US_ASCII));
                }
                case 2 -> out.writeBytes(randomText(random, random.nextInt(100)).getBytes(StandardCharsets.UTF_8));
                default -> out.writeBytes(URLEncoder.encode(VALUES[random.nextInt(VALUES.length)], StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /** What an HTTP header can carry: printable ASCII. */
    private static String asciiText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x3000) : 0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }
}
