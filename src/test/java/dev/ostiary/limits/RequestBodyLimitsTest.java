package dev.ostiary.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * H3: request bodies are capped before anything parses them, and {@code /oauth2/register} checks its
 * bearer token before it reads a byte. Bodies of 32 MB (an array of one-character strings, the
 * review's reproduction) are streamed without a length, so only the stream cap can stop them.
 */
class RequestBodyLimitsTest extends ServerTest {

    private static final long HUGE = 32L * 1024 * 1024;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whenRegistrationBodyIsHugeAndUnauthenticatedThenRefusedBeforeParsing() throws Exception {
        long before = usedHeapAfterGc();
        for (int i = 0; i < 3; i++) {
            int status = statusOrClosed(HttpRequest.newBuilder(uri("/oauth2/register"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJsonArray(HUGE))).build());
            assertThat(status).isIn(401, 413, -1);
        }
        long after = usedHeapAfterGc();
        System.out.printf("H3 figures: 3 x %d MB unauthenticated to /oauth2/register, used heap before %d MB,"
                + " after %d MB%n", HUGE >> 20, before >> 20, after >> 20);
        assertThat(healthy()).isTrue();
    }

    @Test
    void whenRegistrationBodyIsHugeWithAValidTokenThenRefusedWith413() throws Exception {
        // past the 64 KB cap but small enough to be sent whole before the server closes: the answer is read
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/oauth2/register"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + initialToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJsonArray(100 * 1024))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"invalid_client_metadata\"");
        // 32 MB: refused the same way (the connection may close before the client has sent it all)
        int status = statusOrClosed(HttpRequest.newBuilder(uri("/oauth2/register"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + initialToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJsonArray(HUGE))).build());
        assertThat(status).isIn(413, -1);
        assertThat(healthy()).isTrue();
    }

    @Test
    void whenDeclaredContentLengthIsOverTheCapThenRefusedWith413() throws Exception {
        byte[] body = ("{\"redirect_uris\":[" + "\"a\",".repeat(40_000) + "\"a\"]}").getBytes(StandardCharsets.UTF_8);
        for (String path : new String[] { "/oauth2/register", "/admin/api/clients", "/oauth2/token", "/login" }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", path.startsWith("/oauth2/token") || path.equals("/login")
                            ? "application/x-www-form-urlencoded" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(413);
        }
    }

    @Test
    void whenAdminApiJsonIsStreamedPastTheCapThenRefusedWith413() throws Exception {
        int status = statusOrClosed(HttpRequest.newBuilder(uri("/admin/api/clients"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJsonArray(HUGE))).build());
        assertThat(status).isIn(400, 413, -1);
        assertThat(healthy()).isTrue();
    }

    private int statusOrClosed(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            // the server answered and closed the connection while the body was still being sent
            return -1;
        }
    }

    private boolean healthy() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(managementUri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return health.statusCode() == 200 && health.body().contains("UP");
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private String admin() throws Exception {
        return TokensClient.adminToken(baseUrl());
    }

    private String initialToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin/api/registration-tokens"))
                .header("Authorization", "Bearer " + admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\":600}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        return response.body().replaceAll(".*\"initialAccessToken\":\"([^\"]+)\".*", "$1");
    }

    /** {"redirect_uris":["a","a",…]} of about {@code size} bytes, generated as it is read. */
    static final class HugeJsonArray extends InputStream {
        private static final byte[] HEAD = "{\"redirect_uris\":[\"a\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ITEM = ",\"a\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        HugeJsonArray(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte b;
            if (position < HEAD.length) {
                b = HEAD[(int) position];
            } else if (position < size) {
                b = ITEM[(int) ((position - HEAD.length) % ITEM.length)];
            } else if (position < size + TAIL.length) {
                b = TAIL[(int) (position - size)];
            } else {
                return -1;
            }
            position++;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = 0;
            while (n < length) {
                int b = read();
                if (b < 0) {
                    return n == 0 ? -1 : n;
                }
                buffer[offset + n++] = (byte) b;
            }
            return n;
        }
    }
}
