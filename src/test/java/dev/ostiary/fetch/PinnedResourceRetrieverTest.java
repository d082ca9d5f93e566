package dev.ostiary.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The fetcher over TLS: it connects to the address it resolved and checked (here a made-up name
 * pinned to loopback, allowed for the test by {@code allowed-ranges}), verifies the certificate
 * against the URL's host name, follows no redirect, and refuses a name whose address is forbidden.
 */
class PinnedResourceRetrieverTest {

    private static final String JWKS = "{\"keys\":[]}";
    private static HttpsServer server;
    private static SSLContext client;
    private static final AtomicInteger hits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("fetch-tls");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "jwks", "-keyalg", "EC", "-dname", "CN=jwks.test", "-ext", "SAN=dns:jwks.test",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().set("Location", "https://jwks.test/jwks");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            byte[] body = JWKS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static PinnedResourceRetriever retriever(String pinnedTo) {
        OutboundFetchProperties properties = new OutboundFetchProperties(false, List.of("127.0.0.1/32"),
                Duration.ofSeconds(2), Duration.ofSeconds(3), DataSize.ofKilobytes(32), Duration.ofSeconds(30),
                Duration.ofMinutes(5));
        OutboundDestinations destinations = new OutboundDestinations(properties,
                host -> new InetAddress[] { InetAddress.getByName(pinnedTo) });
        return new PinnedResourceRetriever(destinations, properties, client.getSocketFactory());
    }

    private static URI url(String host, String path) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + path);
    }

    @Test
    void whenTheNameIsPinnedToAnAllowedAddressThenTheDocumentIsFetchedOverVerifiedTls() throws Exception {
        assertThat(retriever("127.0.0.1").retrieveResource(url("jwks.test", "/jwks").toURL()).getContent())
                .isEqualTo(JWKS);
    }

    @Test
    void whenTheCertificateIsForAnotherNameThenRefused() {
        assertThatThrownBy(() -> retriever("127.0.0.1").retrieveResource(url("other.test", "/jwks").toURL()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void whenTheAnswerIsARedirectThenItIsNotFollowed() {
        int before = hits.get();
        assertThatThrownBy(() -> retriever("127.0.0.1").retrieveResource(url("jwks.test", "/moved").toURL()))
                .isInstanceOf(IOException.class).hasMessageContaining("Redirects are not followed");
        assertThat(hits.get() - before).isEqualTo(1);
    }

    @Test
    void whenTheNameResolvesToAForbiddenAddressThenNothingIsConnected() {
        int before = hits.get();
        for (String address : List.of("10.0.0.7", "169.254.169.254", "::1", "::ffff:127.0.0.2", "fd00::1")) {
            assertThatThrownBy(() -> retriever(address).retrieveResource(url("jwks.test", "/jwks").toURL()))
                    .as(address).isInstanceOf(ForbiddenDestinationException.class);
        }
        assertThat(hits.get()).isEqualTo(before);
    }
}
