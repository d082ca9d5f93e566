package dev.ostiary.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the demo clients at http://127.0.0.1:18999: answers every path with a small page,
 * so the browser has somewhere to land when it is redirected back.
 */
public final class CallbackServer implements AutoCloseable {

    private final HttpServer server;

    private CallbackServer(HttpServer server) {
        this.server = server;
    }

    public static CallbackServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 18999), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><title>Client</title><p id=landed>Back at the client</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return new CallbackServer(server);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
