package dev.ostiary.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

/** Serves the attacker's JWKS on loopback and counts who comes to fetch it (nobody should). */
public final class AttackerServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    private AttackerServer(HttpServer server) {
        this.server = server;
    }

    public static AttackerServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AttackerServer attacker = new AttackerServer(http);
        http.createContext("/", exchange -> {
            attacker.hits.incrementAndGet();
            byte[] body = new JWKSet(ForgedTokens.attackerKey().toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return attacker;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
