package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardWrapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;
import dev.ostiary.support.TestUsers;
import dev.ostiary.user.UserRepository;

/**
 * SIGTERM during traffic (a rolling restart): the context closes while token requests are in flight.
 * Each request the server had accepted completes with its token; readiness turns OUT_OF_SERVICE at
 * the start (liveness stays UP), and new connections are refused while the old ones drain
 * ({@code server.shutdown: graceful}). The requests are held in flight deterministically: each has
 * sent its headers and half its body, and gets to send the rest only once the shutdown has begun.
 */
class GracefulShutdownTest {

    private static final int IN_FLIGHT = 16;

    @Test
    void whenContextClosesWithRequestsInFlightThenEachCompletesWithItsToken() throws Exception {
        StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.abuse.source-ip-threshold=0");
        int port = server.port();
        HttpClient http = HttpClient.newHttpClient();
        String readiness = server.managementUrl() + "/actuator/health/readiness";
        assertThat(http.send(HttpRequest.newBuilder(URI.create(readiness)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"status\":\"UP\"");
        ApplicationAvailability availability = server.bean(ApplicationAvailability.class);
        TomcatWebServer tomcat = (TomcatWebServer) ((WebServerApplicationContext) server.context()).getWebServer();

        // a user of its own per request: concurrent attempts for one user are limited (abuse/FailureCounters)
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            bodies.add("grant_type=password&scope=read&password=password&username=" + TestUsers.create(
                    server.bean(UserRepository.class), server.bean(PasswordEncoder.class), "password", "USER"));
        }
        List<Socket> requests = new ArrayList<>();
        Thread closing = new Thread(server::close, "closing-the-context");
        try {
            for (int i = 0; i < IN_FLIGHT; i++) {
                requests.add(startRequest(port, bodies.get(i)));
            }
            // every request is inside the servlet (the filter chain reads its body): what Boot's graceful
            // shutdown waits for (Tomcat's allocated servlet count)
            await("requests in flight").atMost(Duration.ofSeconds(60)).until(() -> servletsInUse(tomcat) == IN_FLIGHT);

            closing.start();
            await("readiness refusing traffic").atMost(Duration.ofSeconds(30))
                    .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
            // the listening socket is closed: a load balancer's new connections go elsewhere
            await("new connections refused").atMost(Duration.ofSeconds(30)).until(() -> refused(port));
            // the management server stops only after the main one has drained (its lifecycle phase is
            // lower): meanwhile the readiness probe answers OUT_OF_SERVICE
            HttpResponse<String> outOfService = http.send(HttpRequest.newBuilder(URI.create(readiness))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(outOfService.statusCode()).isEqualTo(503);
            assertThat(outOfService.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
            HttpResponse<String> alive = http.send(HttpRequest.newBuilder(URI.create(server.managementUrl()
                    + "/actuator/health/liveness")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(alive.statusCode()).isEqualTo(200);
            assertThat(closing.isAlive()).as("the shutdown waits for the requests in flight").isTrue();

            for (int i = 0; i < IN_FLIGHT; i++) {
                String body = bodies.get(i);
                OutputStream out = requests.get(i).getOutputStream();
                out.write(body.substring(body.length() / 2).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            for (Socket request : requests) {
                String response = readAll(request.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200").contains("\"access_token\":\"");
            }
            await("context closed").atMost(Duration.ofSeconds(60)).until(() -> !closing.isAlive());
        } finally {
            for (Socket request : requests) {
                request.close();
            }
            if (!closing.isAlive() && closing.getState() == Thread.State.NEW) {
                server.close();
            }
        }
    }

    /** A password grant with its headers and the first half of its body sent. */
    private static Socket startRequest(int port, String body) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        String head = "POST /oauth2/token HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n"
                + "Authorization: " + RawHttp.basic("trusted-app", "trusted-secret") + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body.substring(0, body.length() / 2).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static int servletsInUse(TomcatWebServer tomcat) {
        int allocated = 0;
        for (Container host : tomcat.getTomcat().getEngine().findChildren()) {
            for (Container context : host.findChildren()) {
                allocated += Arrays.stream(context.findChildren())
                        .mapToInt(wrapper -> ((StandardWrapper) wrapper).getCountAllocated()).sum();
            }
        }
        return allocated;
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
