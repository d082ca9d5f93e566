package dev.ostiary.clientmetadata;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A client's web site on loopback, serving its metadata document: each path answers what the test
 * set (a document with a {@code Cache-Control}, or a redirect), and requests are counted per path.
 */
public final class DocumentHost implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private record Answer(int status, String location, String cacheControl, byte[] body) {
    }

    private DocumentHost(HttpServer server) {
        this.server = server;
    }

    public static DocumentHost start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        DocumentHost host = new DocumentHost(http);
        http.createContext("/", host::answer);
        http.start();
        return host;
    }

    /** The client id URL of {@code path} on this host. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public DocumentHost serve(String path, String json, String cacheControl) {
        answers.put(path, new Answer(200, null, cacheControl, json.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public DocumentHost redirect(String path, String location) {
        answers.put(path, new Answer(302, location, null, new byte[0]));
        return this;
    }

    /** A document as a client would publish it: the client id is the URL it is served at. */
    public String publicClient(String path, String redirectUri) {
        return """
                {"client_id":"%s","client_name":"Example Tool","redirect_uris":["%s"],
                 "grant_types":["authorization_code"],"response_types":["code"],
                 "token_endpoint_auth_method":"none","client_uri":"https://tool.example"}"""
                .formatted(url(path), redirectUri);
    }

    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, new Answer(404, null, null, new byte[0]));
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        if (answer.cacheControl() != null) {
            exchange.getResponseHeaders().set("Cache-Control", answer.cacheControl());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
