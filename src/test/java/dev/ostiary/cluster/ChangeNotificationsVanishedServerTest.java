package dev.ostiary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.ostiary.support.EmbeddedPostgresSupport;

/**
 * The database vanishes without closing the LISTEN connection (a host or network gone: no FIN, no
 * RST). A connection waiting in {@code getNotifications} would wait forever; the heartbeat's
 * {@code select 1} under the network timeout fails instead, the loop reconnects, every subscriber
 * resyncs, and notifications arrive again on the new connection.
 */
class ChangeNotificationsVanishedServerTest {

    private static final String CHANNEL = "ostiary_test_vanished";

    private BlackholeProxy proxy;
    private ChangeNotifications notifications;

    @AfterEach
    void stop() throws IOException {
        if (notifications != null) {
            notifications.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void whenTheServerVanishesSilentlyThenTheListenerReconnectsResyncsAndHearsNotificationsAgain() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        URI direct = URI.create(database.substring("jdbc:".length()));
        proxy = new BlackholeProxy(direct.getPort());
        String viaProxy = database.replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
        JdbcClient sql = JdbcClient.create(new DriverManagerDataSource(database));

        List<String> heard = new CopyOnWriteArrayList<>();
        AtomicInteger resyncs = new AtomicInteger();
        notifications = new ChangeNotifications(
                new DedicatedConnections(new DriverManagerDataSource(viaProxy), Duration.ofSeconds(1)),
                Duration.ofMillis(300));
        notifications.subscribe(CHANNEL, heard::add, resyncs::incrementAndGet);
        notifications.start();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            sql.sql("select pg_notify(?, 'before')").param(CHANNEL).query().listOfRows();
            return heard.contains("before");
        });
        assertThat(proxy.accepted()).isEqualTo(1);

        // the server "vanishes" for the open connection: bytes are swallowed, the socket stays open
        proxy.blackholeOpenConnections();

        // detected by the heartbeat (0.3 s + 1 s network timeout), not never: a new connection and a resync
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> proxy.accepted() >= 2 && resyncs.get() >= 1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            sql.sql("select pg_notify(?, 'after')").param(CHANNEL).query().listOfRows();
            return heard.contains("after");
        });
    }

    /** A TCP relay to PostgreSQL that can stop relaying on its open connections without closing them. */
    private static final class BlackholeProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Set<Relay> relays = ConcurrentHashMap.newKeySet();

        BlackholeProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "blackhole-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        void blackholeOpenConnections() {
            relays.forEach(r -> r.blackholed = true);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    accepted.incrementAndGet();
                    Relay relay = new Relay(client, upstream);
                    relays.add(relay);
                    pump(relay, client.getInputStream(), upstream.getOutputStream());
                    pump(relay, upstream.getInputStream(), client.getOutputStream());
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Relay relay, InputStream in, OutputStream out) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (!relay.blackholed) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // the other side closed
                }
            }, "blackhole-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Relay relay : relays) {
                relay.client.close();
                relay.upstream.close();
            }
        }

        private static final class Relay {
            final Socket client;
            final Socket upstream;
            volatile boolean blackholed;

            Relay(Socket client, Socket upstream) {
                this.client = client;
                this.upstream = upstream;
            }
        }
    }
}
