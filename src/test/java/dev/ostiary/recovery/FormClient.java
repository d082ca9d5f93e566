package dev.ostiary.recovery;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser without a browser: one cookie jar, forms posted with the CSRF token of the last page. */
final class FormClient {

    private final String baseUrl;
    private final HttpClient http;
    private final String language;
    private String csrf;

    FormClient(String baseUrl, String language) {
        this.baseUrl = baseUrl;
        this.language = language;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(pathOrUrl).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(response.body());
        if (matcher.find()) {
            csrf = matcher.group(1);
        }
        return response;
    }

    /** Pairs of name and value (a name may repeat), with the page's CSRF token unless one is given. */
    HttpResponse<String> post(String path, List<Map.Entry<String, String>> fields) throws IOException, InterruptedException {
        String body = fields.stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        if (csrf != null && fields.stream().noneMatch(e -> e.getKey().equals("_csrf"))) {
            body = body + (body.isEmpty() ? "" : "&") + "_csrf=" + encode(csrf);
        }
        return postRaw(path, body);
    }

    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return post(path, List.copyOf(fields.entrySet()));
    }

    HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void forgetCsrf() {
        csrf = null;
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "text/html");
        return language == null ? builder : builder.header("Accept-Language", language);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
