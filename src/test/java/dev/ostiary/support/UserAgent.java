package dev.ostiary.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: cookies, no automatic redirects, form posts with the page's CSRF
 * token. For the many flow tests where a real browser adds only time; the browser tests drive the
 * same pages in Chromium.
 */
public final class UserAgent {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("name=\"state\" value=\"([^\"]+)\"");

    private final CookieManager cookies;
    private final HttpClient http;
    private final String baseUrl;

    public UserAgent(String baseUrl) {
        this(baseUrl, new CookieManager());
    }

    private UserAgent(String baseUrl, CookieManager cookies) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The same browser (its cookies: the session) talking to another instance, as a load balancer
     * would send it there.
     */
    public UserAgent at(String otherBaseUrl) {
        return new UserAgent(otherBaseUrl, cookies);
    }

    /** The value of the cookie {@code name} this browser holds, if any. */
    public java.util.Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst();
    }

    /** The CSRF token of the first form in {@code page}. */
    public static String csrf(String page) {
        return find(CSRF, page);
    }

    public HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(absolute(url)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String url, Map<String, List<String>> form) throws Exception {
        String body = form.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> enc(e.getKey()) + "=" + enc(v)))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(absolute(url)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the login page; returns the login POST's response. */
    public HttpResponse<String> login(String username, String password) throws Exception {
        String page = get("/login").body();
        return post("/login", Map.of("username", List.of(username), "password", List.of(password),
                "_csrf", List.of(find(CSRF, page))));
    }

    /** Follows redirects within the server, stopping at the first one that leaves it (or a page). */
    public HttpResponse<String> follow(String url) throws Exception {
        HttpResponse<String> response = get(url);
        for (int hops = 0; hops < 10 && isRedirect(response); hops++) {
            String location = location(response);
            if (!location.startsWith(baseUrl) && !location.startsWith("/")) {
                return response;
            }
            response = get(location);
        }
        return response;
    }

    /** Answers the consent page in {@code page}: approve the given scopes, or deny with none. */
    public HttpResponse<String> answerConsent(String page, String clientId, List<String> scopes) throws Exception {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("client_id", List.of(clientId));
        form.put("state", List.of(find(STATE, page)));
        form.put("_csrf", List.of(find(CSRF, page)));
        if (!scopes.isEmpty()) {
            form.put("scope", scopes);
        }
        return post("/oauth2/authorize", form);
    }

    public static boolean isRedirect(HttpResponse<?> response) {
        return response.statusCode() / 100 == 3;
    }

    public static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("No Location header, status " + response.statusCode()));
    }

    /** Query or fragment parameters of a redirect target. */
    public static Map<String, String> parameters(String url, boolean fragment) {
        int start = fragment ? url.indexOf('#') : url.indexOf('?');
        Map<String, String> parameters = new LinkedHashMap<>();
        if (start < 0) {
            return parameters;
        }
        String part = url.substring(start + 1);
        if (!fragment && part.contains("#")) {
            part = part.substring(0, part.indexOf('#'));
        }
        for (String pair : part.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private URI absolute(String url) {
        return URI.create(url.startsWith("http") ? url : baseUrl + url);
    }

    private static String find(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("Not found in page: " + pattern);
        }
        return matcher.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
