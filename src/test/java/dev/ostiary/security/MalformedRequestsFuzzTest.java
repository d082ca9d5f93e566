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
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TokensClient;

/**
 * Ten thousand malformed requests, made by a seeded generator (the seed is in every failure
 * message, and {@code -Dostiary.fuzz.seed=…} replays a run): random and repeated parameters,
 * oversized values, wrong content types, broken Basic headers, invalid UTF-8, to the token,
 * authorization, introspection and revocation endpoints, some at percent-encoded spellings of their
 * paths. Every answer must be a 4xx with an error body (or a redirect to the login page), never a
 * 5xx, and nothing is logged at ERROR; afterwards a valid request still works. Then every endpoint at non-canonical spellings of its
 * path ({@code %xx} of each segment's letters in upper and lower hex, trailing and double slashes,
 * {@code /./}, {@code ;jsessionid=}, {@code %2F}, {@code %2e}): never a 5xx, the same answer as the
 * plain path where the spelling is equivalent, and never a success where the plain path is refused.
 * And bursts of 32 malformed requests released at once. Abuse locks are off on this server: the
 * point is the parsers and the path matching, not the 429s.
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
    /** Every event logged at ERROR while the fuzz runs: client input must never cause one. */
    private static final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.users.lockout-threshold=1000000");
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ThresholdFilter errorsOnly = new ThresholdFilter();
        errorsOnly.setLevel("ERROR");
        errorsOnly.start();
        errors.addFilter(errorsOnly);
        errors.start();
        rootLogger().addAppender(errors);
    }

    @AfterAll
    static void stop() {
        rootLogger().detachAppender(errors);
        server.close();
    }

    @AfterEach
    void nothingLoggedAtError() {
        assertThat(errors.list).as("ERROR events").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
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

    /** One request per endpoint, sent at every spelling of its path. */
    private record Probe(String method, String path, Map<String, String> headers, String body) {
    }

    private static List<Probe> probes() {
        String svc = RawHttp.basic("svc-client", "svc-secret");
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", svc);
        Map<String, String> html = Map.of("Accept", "text/html");
        Map<String, String> json = Map.of("Accept", "application/json");
        return List.of(
                new Probe("POST", "/oauth2/token", form, "grant_type=client_credentials&scope=read"),
                new Probe("POST", "/oauth2/token", form, "grant_type=authorization_code&code=a&code=b"),
                new Probe("POST", "/oauth2/introspect", form, "token=not-a-token"),
                new Probe("POST", "/oauth2/revoke", form, "token=not-a-token"),
                new Probe("GET", "/oauth2/authorize?response_type=code&client_id=web-app&scope=read&state=s"
                        + "&redirect_uri=http://127.0.0.1:18999/callback", html, null),
                new Probe("GET", "/oauth2/jwks", json, null),
                new Probe("GET", "/userinfo", Map.of("Authorization", "Bearer x.y.z", "Accept", "application/json"), null),
                new Probe("POST", "/oauth2/register", Map.of("Content-Type", "application/json"), "{}"),
                new Probe("GET", "/login", html, null),
                new Probe("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                        "username=alice&password=alice-pw"),
                new Probe("GET", "/.well-known/openid-configuration", json, null),
                new Probe("GET", "/.well-known/oauth-authorization-server", json, null),
                new Probe("GET", "/admin/api/clients", json, null),
                new Probe("GET", "/admin/api/users", Map.of("Authorization", "Bearer x.y.z", "Accept", "application/json"),
                        null),
                new Probe("GET", "/account/applications", html, null),
                new Probe("GET", "/account/consents", html, null),
                new Probe("GET", "/oauth2/consent?client_id=web-app&scope=read&state=s", html, null));
    }

    @Test
    void nonCanonicalPathsAreAnsweredLikeThePlainPathNeverWith5xx() throws Exception {
        RawHttp raw = new RawHttp(server.baseUrl());
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Probe probe : probes()) {
            String path = probe.path().contains("?") ? probe.path().substring(0, probe.path().indexOf('?')) : probe.path();
            String query = probe.path().substring(path.length());
            RawHttp.Response plain = raw.send("127.0.0.1", probe.method(), probe.path(), probe.headers(), probe.body());
            sent++;
            if (plain.status() >= 500) {
                failures.add(probe.method() + " " + probe.path() + " -> " + plain.status());
            }
            for (String variant : equivalentSpellings(path)) {
                RawHttp.Response response = raw.send("127.0.0.1", probe.method(), variant + query, probe.headers(),
                        probe.body());
                sent++;
                if (!sameAnswer(plain, response)) {
                    failures.add(probe.method() + " " + variant + " -> " + response.status() + " " + errorOf(response)
                            + " but " + path + " -> " + plain.status() + " " + errorOf(plain));
                }
            }
            for (String variant : nonCanonicalSpellings(path)) {
                RawHttp.Response response = raw.send("127.0.0.1", probe.method(), variant + query, probe.headers(),
                        probe.body());
                sent++;
                boolean weaker = plain.status() >= 300 && response.status() / 100 == 2;
                if (response.status() >= 500 || weaker) {
                    failures.add(probe.method() + " " + variant + " -> " + response.status() + " but " + path + " -> "
                            + plain.status());
                }
            }
        }
        assertThat(failures).as("%d requests", sent).isEmpty();
    }

    @Test
    void burstsOfMalformedRequestsReleasedAtOnceGetNo5xx() throws Exception {
        long seed = Long.getLong("ostiary.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        int burst = 32;
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        List<String> failures = new ArrayList<>();
        try {
            for (int round = 0; round < 5; round++) {
                CountDownLatch ready = new CountDownLatch(burst);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    HttpRequest request = randomRequest(random);
                    answers.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        String problem = judge(request, response);
                        return problem == null ? null : describe(request) + " -> " + problem;
                    }));
                }
                ready.await();
                go.countDown();
                for (Future<String> answer : answers) {
                    String problem = answer.get();
                    if (problem != null) {
                        failures.add(problem);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("seed %d (replay with -Dostiary.fuzz.seed=%d)", seed, seed).isEmpty();
    }

    /** Spellings Spring decodes to the same path: letters and digits of each segment as %xx, upper and lower hex. */
    static List<String> equivalentSpellings(String path) {
        List<String> variants = new ArrayList<>();
        String[] segments = path.substring(1).split("/");
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            int first = firstAlphanumeric(segment);
            if (first < 0) {
                continue;
            }
            variants.add(replaceSegment(segments, s, encodeAt(segment, first, true)));
            variants.add(replaceSegment(segments, s, encodeAt(segment, lastAlphanumeric(segment), false)));
            StringBuilder all = new StringBuilder();
            for (char c : segment.toCharArray()) {
                all.append(Character.isLetterOrDigit(c) ? String.format("%%%02X", (int) c) : String.valueOf(c));
            }
            variants.add(replaceSegment(segments, s, all.toString()));
        }
        return variants;
    }

    /** Spellings that are not canonical: whatever answers them, it is not a 5xx nor weaker than the plain path. */
    static List<String> nonCanonicalSpellings(String path) {
        int lastSlash = path.lastIndexOf('/');
        String parent = path.substring(0, lastSlash);
        String leaf = path.substring(lastSlash + 1);
        return List.of(path + "/", parent + "//" + leaf, "/" + path, parent + "/./" + leaf, parent + "/x/../" + leaf,
                path + ";jsessionid=0123456789ABCDEF", parent + ";x=y/" + leaf, parent + "%2F" + leaf,
                parent + "%2f" + leaf, parent + "/%2e/" + leaf, parent + "/%2E%2E/" + leaf, path + "%2e",
                path + "%00", path + "%25", parent + "%5C" + leaf, path.toUpperCase(Locale.ROOT), path + "%20",
                path + "?", path + "#x");
    }

    private static String encodeOneLetter(String path, Random random) {
        List<String> variants = equivalentSpellings(path);
        return variants.get(random.nextInt(variants.size()));
    }

    private static String replaceSegment(String[] segments, int index, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == index ? replacement : segments[i]);
        }
        return path.toString();
    }

    private static String encodeAt(String segment, int index, boolean upper) {
        String hex = String.format(upper ? "%%%02X" : "%%%02x", (int) segment.charAt(index));
        return segment.substring(0, index) + hex + segment.substring(index + 1);
    }

    private static int firstAlphanumeric(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isLetterOrDigit(segment.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastAlphanumeric(String segment) {
        for (int i = segment.length() - 1; i >= 0; i--) {
            if (Character.isLetterOrDigit(segment.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Same status, same OAuth error code, same redirect target. */
    private static boolean sameAnswer(RawHttp.Response plain, RawHttp.Response other) {
        String plainLocation = plain.header("Location") == null ? "" : plain.header("Location").replaceAll("\\?.*", "");
        String otherLocation = other.header("Location") == null ? "" : other.header("Location").replaceAll("\\?.*", "");
        return plain.status() == other.status() && errorOf(plain).equals(errorOf(other))
                && plainLocation.equals(otherLocation);
    }

    private static String errorOf(RawHttp.Response response) {
        java.util.regex.Matcher error = java.util.regex.Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(response.body());
        String www = response.header("WWW-Authenticate");
        return (error.find() ? error.group(1) : "") + (www == null ? "" : " " + www.replaceAll("error_description=\"[^\"]*\"", ""));
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
        String plainEndpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        String endpoint = random.nextInt(4) == 0 ? encodeOneLetter(plainEndpoint, random) : plainEndpoint;
        byte[] form = randomForm(random);
        String method = random.nextInt(10) < 8 ? "POST" : new String[] { "GET", "PUT", "DELETE", "PATCH" }[random.nextInt(4)];
        // the query stays under the container's request-line limit; oversized values go in bodies
        String rawQuery = new String(randomForm(random), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x21-\\x7e]", "%20").replace("#", "%23");
        String query = random.nextInt(4) == 0 || plainEndpoint.equals("/oauth2/authorize")
                ? "?" + rawQuery.substring(0, Math.min(rawQuery.length(), 4000)).replaceAll("%[0-9A-Fa-f]?$", "")
                : "";
        URI uri;
        try {
            uri = URI.create(server.baseUrl() + endpoint + query);
        } catch (IllegalArgumentException e) {
            uri = URI.create(server.baseUrl() + endpoint);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        switch (random.nextInt(10)) {
            case 0 -> builder.header("Content-Type", "application/json");
            case 1 -> builder.header("Content-Type", "text/plain; charset=utf-8");
            case 2 -> builder.header("Content-Type", "multipart/form-data; boundary=zzz");
            case 3 -> { }
            case 4 -> builder.header("Content-Type", "application/xml");
            case 5 -> builder.header("Content-Type", "application/x-www-form-urlencoded; charset=garbage");
            case 6 -> builder.header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1");
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
