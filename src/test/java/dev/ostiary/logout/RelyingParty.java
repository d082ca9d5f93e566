package dev.ostiary.logout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A relying party on a loopback port of its own (tests of other features use 18999): pages for the
 * browser to land on after sign-in and sign-out, and a back-channel logout receiver that records
 * every {@code logout_token} posted to it and can be told to fail a number of times first.
 */
final class RelyingParty implements AutoCloseable {

    private final HttpServer server;
    final List<String> logoutTokens = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresToAnswer = new AtomicInteger();
    final AtomicInteger failedDeliveries = new AtomicInteger();

    private RelyingParty(HttpServer server) {
        this.server = server;
    }

    static RelyingParty start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        RelyingParty party = new RelyingParty(server);
        server.createContext("/", exchange -> answer(exchange, 200, "<!DOCTYPE html><title>Client</title>"
                + "<p id=landed>Back at the client</p>"));
        server.createContext("/backchannel-logout", party::receive);
        server.start();
        return party;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
        boolean form = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                .startsWith("application/x-www-form-urlencoded");
        if (!"POST".equals(exchange.getRequestMethod()) || !form || !body.startsWith("logout_token=")) {
            answer(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        if (failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedDeliveries.incrementAndGet();
            answer(exchange, 503, "");
            return;
        }
        logoutTokens.add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.US_ASCII));
        answer(exchange, 200, "");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
