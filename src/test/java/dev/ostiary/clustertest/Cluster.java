package dev.ostiary.clustertest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * The dev cluster of {@code cluster/cluster.sh} (docs: /work/notes/CLUSTER-INTERFACE.md, the script's
 * header): PostgreSQL 15 primary and standby, three nodes running the packaged jar, nginx with TLS,
 * the sample API. Started once per test run by the first cluster test that asks for it, shared by all
 * of them, destroyed when the JVM ends. Every call goes through the public https issuer unless a test
 * says otherwise; {@code pin} sends a request to one node only ({@code X-Ostiary-Pin}, the dev
 * cluster's test aid), and {@link #nodeOf} reads which node answered from {@code X-Ostiary-Upstream}.
 */
public final class Cluster {

    public static final int NODES = 3;
    /** A request without a pin: nginx balances it. */
    public static final int ANY_NODE = 0;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(20);
    private static Cluster shared;

    private final Path script;
    private final Path directory;
    private final int basePort;
    private final Map<String, String> env;
    private final SSLContext ssl;
    private final HttpClient http;

    private Cluster(Path script, Path directory, int basePort, Map<String, String> env, SSLContext ssl) {
        this.script = script;
        this.directory = directory;
        this.basePort = basePort;
        this.env = env;
        this.ssl = ssl;
        this.http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The cluster of this test run, started on first use (a few minutes on two cores). */
    public static synchronized Cluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static Cluster start() {
        Prerequisites.check();
        Path script = Path.of("cluster", "cluster.sh").toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("The cluster suite needs " + script + " (branch cluster-run)");
        }
        Path directory = Path.of(System.getenv().getOrDefault("CLUSTER_DIR", "target/cluster-test")).toAbsolutePath();
        int basePort = Integer.parseInt(System.getenv().getOrDefault("CLUSTER_BASE_PORT", "18400"));
        if ("true".equals(System.getenv("CLUSTER_REUSE"))) {
            // a cluster started by hand (same CLUSTER_DIR and CLUSTER_BASE_PORT), kept afterwards: for
            // working on one test; the failover test leaves it without a standby
            System.out.println("[cluster] reusing the running cluster in " + directory);
        } else {
            // a run that died without its shutdown hook leaves processes and pid files behind
            run(script, directory, basePort, "destroy");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run(script, directory, basePort, "destroy"),
                    "cluster-destroy"));
            run(script, directory, basePort, "start");
        }
        Map<String, String> env = readEnv(directory.resolve("cluster.env"));
        return new Cluster(script, directory, basePort, env, trusting(Path.of(env.get("CA_CERT"))));
    }

    static Map<String, String> readEnv(Path file) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                    continue;
                }
                if (trimmed.startsWith("export ")) {
                    trimmed = trimmed.substring("export ".length()).strip();
                }
                int eq = trimmed.indexOf('=');
                String value = trimmed.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                env.put(trimmed.substring(0, eq).strip(), value);
            }
            return env;
        } catch (IOException e) {
            throw new IllegalStateException("cluster.sh start wrote no " + file, e);
        }
    }

    /** An SSL context that trusts the cluster's self-signed certificate, and nothing else. */
    static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("cluster-" + n++, cert);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the cluster's certificate " + certificate, e);
        }
    }

    /** The certificate's SubjectPublicKeyInfo digest, as Chromium's --ignore-certificate-errors-spki-list wants it. */
    public String certificateSpkiSha256() {
        try (InputStream in = Files.newInputStream(Path.of(env("CA_CERT")))) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(cert.getPublicKey().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(Path script, Path directory, int basePort, String... command) {
        List<String> line = new ArrayList<>(List.of("bash", script.toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("CLUSTER_DIR", directory.toString());
        builder.environment().put("CLUSTER_BASE_PORT", Integer.toString(basePort));
        // the jar this build packaged (profile cluster), unless one is named; a reused cluster keeps
        // the jar it was started with (cluster.sh remembers it)
        String built = System.getenv("OSTIARY_BUILT_JAR");
        if (System.getenv("OSTIARY_JAR") == null && built != null && !"true".equals(System.getenv("CLUSTER_REUSE"))) {
            builder.environment().put("OSTIARY_JAR", built);
        }
        try {
            Process process = builder.start();
            // read while it runs, or a chatty script blocks on a full pipe
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", command) + " did not end in "
                        + COMMAND_TIMEOUT);
            }
            reader.join();
            String text = output.toString();
            System.out.println("[cluster] cluster.sh " + String.join(" ", command) + " (exit " + process.exitValue()
                    + ")\n" + text.lines().map(l -> "[cluster]   " + l).collect(Collectors.joining("\n")));
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", command) + " failed with exit "
                        + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code cluster.sh <command>}; it returns when the effect is real (a node ready, a primary writable). */
    public String command(String... command) {
        return run(script, directory, basePort, command);
    }

    public void killNode(int node) {
        command("kill-node", Integer.toString(node));
    }

    public void stopNode(int node) {
        command("stop-node", Integer.toString(node));
    }

    public void startNode(int node) {
        command("start-node", Integer.toString(node));
    }

    public void rollingRestart() {
        command("rolling-restart");
    }

    public void stopPrimary() {
        command("stop-primary");
    }

    public void promoteStandby() {
        command("promote-standby");
    }

    public String env(String key) {
        String value = env.get(key);
        if (value == null) {
            throw new IllegalStateException("cluster.env has no " + key + ": " + env.keySet());
        }
        return value;
    }

    public String issuer() {
        return env("ISSUER");
    }

    public URI uri(String path) {
        return URI.create(issuer() + path);
    }

    public String nodeUrl(int node) {
        return env("NODE" + node + "_URL");
    }

    public String sampleApiUrl() {
        return env("SAMPLE_API_URL");
    }

    public Path accessLog() {
        return Path.of(env.getOrDefault("NGINX_ACCESS_LOG", directory.resolve("logs/nginx-access.log").toString()));
    }

    public Path directory() {
        return directory;
    }

    public int basePort() {
        return basePort;
    }

    public SSLContext ssl() {
        return ssl;
    }

    /** Follows no redirects, trusts the cluster's certificate, HTTP/1.1 (as nginx speaks it here). */
    public HttpClient http() {
        return http;
    }

    /**
     * The node behind an {@code X-Ostiary-Upstream} (nginx's {@code $upstream_addr}); after a retry it
     * lists every server tried, and the last one answered. 0 when no node answered (nginx's own error).
     */
    public int nodeOf(String upstreamAddress) {
        if (upstreamAddress == null || upstreamAddress.isBlank()) {
            return 0;
        }
        String[] tried = upstreamAddress.split(",|\\s:\\s");
        String last = tried[tried.length - 1].strip();
        int colon = last.lastIndexOf(':');
        if (colon < 0) {
            return 0;
        }
        int port = Integer.parseInt(last.substring(colon + 1).strip());
        int node = port - basePort;
        return node >= 1 && node <= NODES ? node : 0;
    }

    public int nodeOf(HttpResponse<?> response) {
        return nodeOf(response.headers().firstValue("X-Ostiary-Upstream").orElse(null));
    }

    public int nodeOf(HTTPResponse response) {
        return nodeOf(response.getHeaderValue("X-Ostiary-Upstream"));
    }

    /** A request through nginx, pinned to {@code node} unless it is {@link #ANY_NODE}. */
    public HttpResponse<String> send(HttpRequest.Builder request, int node) {
        if (node != ANY_NODE) {
            request.header("X-Ostiary-Pin", Integer.toString(node));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Nimbus SDK request, made to trust the cluster and pinned to {@code node} unless {@link #ANY_NODE}. */
    public HTTPResponse send(HTTPRequest request, int node) {
        request.setSSLSocketFactory(ssl.getSocketFactory());
        if (node != ANY_NODE) {
            request.setHeader("X-Ostiary-Pin", Integer.toString(node));
        }
        try {
            return request.send();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form POST with HTTP Basic client authentication, through nginx. */
    public HttpResponse<String> postForm(String path, String clientId, String secret, String form, int node) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", basic(clientId, secret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), node);
    }

    public static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
