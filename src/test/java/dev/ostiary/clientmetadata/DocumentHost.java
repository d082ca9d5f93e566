package dev.ostiary.clientmetadata;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    /** Released on close: a trickling answer stops then, instead of holding a thread. */
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private record Answer(int status, String location, String cacheControl, byte[] body, boolean trickle) {
        Answer(int status, String location, String cacheControl, byte[] body) {
            this(status, location, cacheControl, body, false);
        }
    }

    private DocumentHost(HttpServer server) {
        this.server = server;
        // a trickling answer must not hold up the others
        server.setExecutor(threads);
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

    /** Serves {@code json} one byte every 200 ms (a slow or hostile host): far past any read timeout. */
    public DocumentHost trickle(String path, String json) {
        answers.put(path, new Answer(200, null, null, json.getBytes(StandardCharsets.UTF_8), true));
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
            if (!answer.trickle()) {
                out.write(answer.body());
                return;
            }
            for (byte b : answer.body()) {
                out.write(b);
                out.flush();
                if (awaitClosed(200)) {
                    return;
                }
            }
        }
    }

    private boolean awaitClosed(long millis) {
        try {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
