package dev.ostiary.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Tells this instance when another one (or an operator's SQL) changed a cached table. Triggers on
 * those tables call {@code pg_notify(channel, key)}; this class holds one connection that LISTENs
 * and hands each key to the channel's subscribers. When the connection drops, notifications may
 * have been missed, so after reconnecting every subscriber is told to drop its whole cache.
 * <p>
 * A connection that died is noticed promptly: a terminated backend (a failover, an operator's
 * {@code pg_terminate_backend}) makes the waiting {@code getNotifications} fail at once, and a
 * database that vanished without closing the connection fails the {@code select 1} run every
 * heartbeat under the connection's network timeout ({@link DedicatedConnections}). The connection is
 * named {@value #APPLICATION_NAME} in {@code pg_stat_activity}.
 */
public class ChangeNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);

    public static final String APPLICATION_NAME = "ostiary-change-notifications";

    private final DedicatedConnections connections;
    private final Duration heartbeat;
    private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    /** What to do with one changed key, and what to do when changes may have been missed. */
    public record Subscriber(Consumer<String> onChange, Runnable onResync) {
    }

    public ChangeNotifications(DedicatedConnections connections, Duration heartbeat) {
        this.connections = connections;
        this.heartbeat = heartbeat;
    }

    public void subscribe(String channel, Consumer<String> onChange, Runnable onResync) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(new Subscriber(onChange, onResync));
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::listen, "ostiary-change-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean firstConnection = true;
        while (running) {
            try (Connection connection = connections.open(APPLICATION_NAME)) {
                try (Statement statement = connection.createStatement()) {
                    for (String channel : subscribers.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                if (!firstConnection) {
                    resyncAll();
                }
                firstConnection = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                long checkedAt = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (System.nanoTime() - checkedAt >= heartbeat.toNanos()) {
                        DedicatedConnections.check(connection);
                        checkedAt = System.nanoTime();
                    }
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        dispatch(notification.getName(), notification.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Change notifications interrupted ({}); caches resync after reconnecting", e.toString());
                firstConnection = false;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void dispatch(String channel, String key) {
        for (Subscriber subscriber : subscribers.getOrDefault(channel, List.of())) {
            try {
                subscriber.onChange().accept(key);
            } catch (RuntimeException e) {
                log.warn("Change subscriber for {} failed: {}", channel, e.toString());
            }
        }
    }

    private void resyncAll() {
        subscribers.values().forEach(list -> list.forEach(s -> s.onResync().run()));
    }
}
