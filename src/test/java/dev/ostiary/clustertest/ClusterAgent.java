package dev.ostiary.clustertest;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, through the cluster's nginx (support/UserAgent, with the cluster's
 * certificate and a pin per request): cookies, no automatic redirects, forms with the page's CSRF token.
 */
final class ClusterAgent {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("name=\"state\" value=\"([^\"]+)\"");

    private final Cluster cluster;
    private final HttpClient http;
    private final String source;

    /** {@code source}: an X-Forwarded-For the client sends (nginx appends to it), or null. */
    ClusterAgent(Cluster cluster, String source) {
        this.cluster = cluster;
        this.source = source;
        this.http = HttpClient.newBuilder().sslContext(cluster.ssl()).version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    ClusterAgent(Cluster cluster) {
        this(cluster, null);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int node) throws Exception {
        request.header("Accept", "text/html");
        if (node != Cluster.ANY_NODE) {
            request.header("X-Ostiary-Pin", Integer.toString(node));
        }
        if (source != null) {
            request.header("X-Forwarded-For", source);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url, int node) throws Exception {
        return send(HttpRequest.newBuilder(absolute(url)).GET(), node);
    }

    HttpResponse<String> post(String url, Map<String, List<String>> form, int node) throws Exception {
        String body = form.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> enc(e.getKey()) + "=" + enc(v)))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(absolute(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), node);
    }

    /** The login page from one node, the POST to another (or the same); returns the POST's answer. */
    HttpResponse<String> login(String username, String password, int pageNode, int postNode) throws Exception {
        String page = get("/login", pageNode).body();
        return post("/login", Map.of("username", List.of(username), "password", List.of(password),
                "_csrf", List.of(find(CSRF, page))), postNode);
    }

    /** Whether a login POST's answer is a signed-in redirect (not back to the login page with an error). */
    static boolean signedIn(HttpResponse<String> loginAnswer) {
        return loginAnswer.statusCode() == 302 && !location(loginAnswer).contains("/login");
    }

    /** Follows redirects within the issuer, all on {@code node}, stopping at the first that leaves it. */
    HttpResponse<String> follow(String url, int node) throws Exception {
        HttpResponse<String> response = get(url, node);
        for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
            String location = location(response);
            if (!location.startsWith(cluster.issuer()) && !location.startsWith("/")) {
                return response;
            }
            response = get(location, node);
        }
        return response;
    }

    /** Approves the consent page {@code page} for {@code scopes}, posted to {@code node}. */
    HttpResponse<String> approve(String page, String clientId, List<String> scopes, int node) throws Exception {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("client_id", List.of(clientId));
        form.put("state", List.of(find(STATE, page)));
        form.put("_csrf", List.of(find(CSRF, page)));
        form.put("scope", scopes);
        return post("/oauth2/authorize", form, node);
    }

    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("No Location header, status " + response.statusCode()));
    }

    static boolean isConsentPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("id=\"submit-consent\"");
    }

    private URI absolute(String url) {
        return URI.create(url.startsWith("http") ? url : cluster.issuer() + url);
    }

    private static String find(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("Not found in page: " + pattern + "\n" + page);
        }
        return matcher.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
