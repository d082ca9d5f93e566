package dev.ostiary.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ostiary.sample.resourceserver.SampleResourceServerApplication;

/** The sample resource server on a random port, trusting the given issuer. */
public final class SampleApi implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    private SampleApi(ConfigurableApplicationContext context) {
        this.context = context;
    }

    private static final java.util.Map<String, SampleApi> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One sample API per issuer for the whole test run, started when a test first needs it: the classes
     * on the shared server context (DPoPTest, SampleApiAccessMatrixTest, SampleApiRejectsForgedTokensTest)
     * used to start one each. Stopped when the JVM ends, like the shared context itself.
     */
    public static SampleApi shared(String issuer) {
        return SHARED.computeIfAbsent(issuer, i -> {
            SampleApi api = start(i);
            Runtime.getRuntime().addShutdownHook(new Thread(api::close));
            return api;
        });
    }

    public static SampleApi start(String issuer, String... arguments) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--sample.issuer-uri=" + issuer));
        args.addAll(List.of(arguments));
        return new SampleApi(SampleResourceServerApplication.run(args.toArray(String[]::new)));
    }

    /**
     * A sample API of its own whose resource identifier (RFC 8707, RFC 9728) is the URL it really
     * listens at, so its 401's {@code resource_metadata} can be followed: on a free port picked first.
     */
    public static SampleApi startAsOwnResource(String issuer) throws java.io.IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new SampleApi(SampleResourceServerApplication.run(new String[] { "--server.port=" + port,
                "--sample.issuer-uri=" + issuer, "--sample.resource=http://localhost:" + port }));
    }

    public String baseUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    public HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{\"name\":\"Test Patient\"}")
                        : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }
}
