package dev.ostiary.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.RawHttp;
import dev.ostiary.support.StandaloneServer;

/**
 * M7: {@code X-Forwarded-For} decides the client's address only on a connection from a configured
 * proxy, and then it is the right-most address that is not a proxy. Observed where the address
 * matters: the token endpoint's deny list, and the source address in the audit trail.
 */
class ForwardedForTest {

    /** Requests from here are from a trusted proxy; from 127.0.0.1 (the default) they are not. */
    private static final String PROXY = "127.0.0.2";

    private static StandaloneServer server;

    /** One server for both cases: the proxy is told apart by the address a request comes from. */
    @BeforeAll
    static void start() {
        server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), "--ostiary.abuse.source-ip-threshold=0",
                "--ostiary.abuse.token-endpoint-deny=203.0.113.9/32",
                "--ostiary.trusted-proxies=" + PROXY + "/32,10.0.0.0/8");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A password grant with a wrong password for a user of its own, sent from {@code from}; returns the status. */
    private static int wrongPassword(String from, String user, String forwardedFor) throws Exception {
        java.util.Map<String, String> headers = RawHttp.form("Authorization", RawHttp.basic("trusted-app", "trusted-secret"));
        if (forwardedFor != null) {
            headers.put("X-Forwarded-For", forwardedFor);
        }
        return new RawHttp(server.baseUrl()).send(from, "POST", "/oauth2/token", headers,
                "grant_type=password&username=" + user + "&password=wrong").status();
    }

    private static String auditedAddress(String user) {
        server.bean(AuditTrail.class).flushAll();
        return server.bean(JdbcClient.class).sql("select source_ip from audit_event where username = ? order by id desc")
                .param(user).query(String.class).list().stream().findFirst().orElse(null);
    }

    @Test
    void whenForwardedForComesFromUntrustedAddressThenItIsIgnored() throws Exception {
        String user = "xff-" + UUID.randomUUID().toString().substring(0, 8);
        // a spoofed denied address does not get the caller denied, and a spoofed other address is not recorded
        assertThat(wrongPassword("127.0.0.1", user, "203.0.113.9")).isEqualTo(400);
        assertThat(wrongPassword("127.0.0.1", user, "198.51.100.23, 203.0.113.9")).isEqualTo(400);
        assertThat(auditedAddress(user)).isEqualTo("127.0.0.1");
    }

    @Test
    void whenForwardedForComesFromTrustedProxyThenRightmostUntrustedHopIsUsed() throws Exception {
        String user = "xff-" + UUID.randomUUID().toString().substring(0, 8);
        // the client wrote 203.0.113.9 itself; the proxies (10.1.2.3, then us) saw 198.51.100.23
        assertThat(wrongPassword(PROXY, user, "203.0.113.9, 198.51.100.23, 10.1.2.3")).isEqualTo(400);
        assertThat(auditedAddress(user)).isEqualTo("198.51.100.23");
        // the real client address is the denied one
        assertThat(wrongPassword(PROXY, user, "198.51.100.23, 203.0.113.9")).isEqualTo(403);
        // no header: the proxy's own address
        assertThat(wrongPassword(PROXY, user, null)).isEqualTo(400);
        assertThat(auditedAddress(user)).isEqualTo(PROXY);
    }
}
