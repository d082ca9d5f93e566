package dev.ostiary.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * The real nginx (Debian's {@code /usr/sbin/nginx}) running docs/examples/nginx-gateway.conf, as a
 * child process with a prefix directory, configuration, pid and port of its own: only the addresses,
 * the port and the cache path of the recipe are replaced. One process, no daemon, no master: it runs
 * as whoever runs the test and dies with {@link #close()}.
 */
final class NginxGateway implements AutoCloseable {

    private static final Path RECIPE = Path.of("docs/examples/nginx-gateway.conf");
    private static final Path LOCATION = Path.of("docs/examples/ostiary-gateway-location.conf");

    private final Path prefix;
    private final Process process;
    private final int port;

    private NginxGateway(Path prefix, Process process, int port) {
        this.prefix = prefix;
        this.process = process;
        this.port = port;
    }

    /**
     * @param ostiary Ostiary's host:port
     * @param api the upstream API's host:port
     * @param cache whether the check's answers are cached (the recipe's proxy_cache) or every request asks
     * @param htpasswd the legacy Basic users' file, one {@code user:{PLAIN}password} a line
     */
    static NginxGateway start(String ostiary, String api, boolean cache, String htpasswd) throws IOException {
        Path prefix = Files.createTempDirectory("ostiary-nginx-");
        int port = freePort();
        String recipe = Files.readString(RECIPE)
                .replace("server 127.0.0.1:9000;", "server " + ostiary + ";")
                .replace("server 127.0.0.1:8081;", "server " + api + ";")
                .replace("listen 127.0.0.1:8000;", "listen 127.0.0.1:" + port + ";")
                .replace("/dev/shm/nginx-ostiary-gateway", prefix.resolve("cache").toString());
        if (!cache) {
            recipe = recipe.replace("proxy_cache ostiary_gateway;", "proxy_cache off;");
        }
        Files.writeString(prefix.resolve("nginx-gateway.conf"), recipe);
        Files.copy(LOCATION, prefix.resolve("ostiary-gateway-location.conf"));
        Files.writeString(prefix.resolve("api.htpasswd"), htpasswd);
        for (String dir : new String[] { "logs", "temp", "cache" }) {
            Files.createDirectories(prefix.resolve(dir));
        }
        Files.writeString(prefix.resolve("nginx.conf"), """
                master_process off;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/temp/body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;
                    include nginx-gateway.conf;
                }
                """.formatted(prefix));
        Process process = new ProcessBuilder("/usr/sbin/nginx", "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("logs/stderr.log").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        NginxGateway nginx = new NginxGateway(prefix, process, port);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + nginx.log());
            }
            return accepts(port);
        });
        return nginx;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** What nginx wrote (its error log and output), for assertion messages. */
    String log() {
        StringBuilder log = new StringBuilder();
        for (String name : new String[] { "logs/error.log", "logs/stdout.log", "logs/stderr.log" }) {
            Path file = prefix.resolve(name);
            try {
                if (Files.exists(file)) {
                    log.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return log.toString();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
