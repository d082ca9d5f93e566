package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;

/**
 * M7: {@code X-Forwarded-For} decides the client's address only on a connection from a configured
 * proxy, and then it is the right-most address that is not a proxy. Observed where the address
 * matters: the token endpoint's deny list, and the source address in the audit trail.
 */
class ForwardedForTest {

    private static final HttpClient http = HttpClient.newHttpClient();

    /** A password grant with a wrong password for a user of its own; returns the HTTP status. */
    private static int wrongPassword(StandaloneServer server, String user, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "trusted-app:trusted-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + user + "&password=wrong"));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String auditedAddress(StandaloneServer server, String user) {
        server.bean(AuditTrail.class).flushAll();
        return server.bean(JdbcClient.class).sql("select source_ip from audit_event where username = ? order by id desc")
                .param(user).query(String.class).list().stream().findFirst().orElse(null);
    }

    @Test
    void whenForwardedForComesFromUntrustedAddressThenItIsIgnored() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.abuse.source-ip-threshold=0", "--ostiary.abuse.token-endpoint-deny=203.0.113.9/32")) {
            String user = "xff-" + UUID.randomUUID().toString().substring(0, 8);
            // a spoofed denied address does not get the caller denied, and a spoofed other address is not recorded
            assertThat(wrongPassword(server, user, "203.0.113.9")).isEqualTo(400);
            assertThat(wrongPassword(server, user, "198.51.100.23, 203.0.113.9")).isEqualTo(400);
            assertThat(auditedAddress(server, user)).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void whenForwardedForComesFromTrustedProxyThenRightmostUntrustedHopIsUsed() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.abuse.source-ip-threshold=0", "--ostiary.abuse.token-endpoint-deny=203.0.113.9/32",
                "--ostiary.trusted-proxies=127.0.0.1/32,10.0.0.0/8")) {
            String user = "xff-" + UUID.randomUUID().toString().substring(0, 8);
            // the client wrote 203.0.113.9 itself; the proxies (10.1.2.3, then us) saw 198.51.100.23
            assertThat(wrongPassword(server, user, "203.0.113.9, 198.51.100.23, 10.1.2.3")).isEqualTo(400);
            assertThat(auditedAddress(server, user)).isEqualTo("198.51.100.23");
            // the real client address is the denied one
            assertThat(wrongPassword(server, user, "198.51.100.23, 203.0.113.9")).isEqualTo(403);
            // no header: the proxy's own address
            assertThat(wrongPassword(server, user, null)).isEqualTo(400);
            assertThat(auditedAddress(server, user)).isEqualTo("127.0.0.1");
        }
    }
}
