package dev.ostiary.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Which node runs the cluster's scheduled work (key rotation and the purge of retired keys): the one
 * holding a PostgreSQL <em>session-level</em> advisory lock on a connection of its own.
 *
 * <p>An advisory lock rather than a lease row: it belongs to the connection, so it disappears the
 * moment the leader's process dies (kill -9 closes its sockets; PostgreSQL ends the backend and
 * frees the lock) or its database does (a promoted standby holds no locks), with no expiry to wait
 * for and no clock to trust. Every {@code heartbeatInterval} a follower tries
 * {@code pg_try_advisory_lock} and the leader checks its connection with {@code select 1} under the
 * network timeout; a failed check ends its leadership at once. Handover therefore takes at most about
 * one heartbeat after the lock is gone.
 *
 * <p>Leadership only decides who <em>schedules</em>: every key change still runs under the
 * transaction-level lock of {@code keys/SigningKeyService}, so two nodes that both believe they lead
 * (an old leader cut off from a database that has already freed its lock) still change keys one at
 * a time.
 */
public class ClusterLeadership implements SmartLifecycle {

    /** Distinct from the key-change lock (4242001). */
    static final long LEADER_LOCK = 4242016;

    public static final String APPLICATION_NAME = "ostiary-leader";

    private static final Logger log = LoggerFactory.getLogger(ClusterLeadership.class);

    private final DedicatedConnections connections;
    private final Duration heartbeat;
    private volatile boolean running;
    private volatile boolean leader;
    private Connection held;
    private Thread thread;

    public ClusterLeadership(DedicatedConnections connections, Duration heartbeat) {
        this.connections = connections;
        this.heartbeat = heartbeat;
    }

    /** Whether this node leads now. */
    public boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "ostiary-cluster-leadership");
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
        // closing the connection frees the lock: another node takes over on its next heartbeat
        release("this node is stopping");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            heartbeatOnce();
            try {
                Thread.sleep(heartbeat.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One heartbeat: a follower tries to take the lock, the leader makes sure it still has it. */
    synchronized void heartbeatOnce() {
        if (!running) {
            return;
        }
        try {
            if (held != null) {
                DedicatedConnections.check(held);
                return;
            }
            Connection connection = connections.open(APPLICATION_NAME);
            boolean acquired;
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("select pg_try_advisory_lock(" + LEADER_LOCK + ")")) {
                acquired = result.next() && result.getBoolean(1);
            }
            if (!acquired) {
                connection.close();
                return;
            }
            held = connection;
            leader = true;
            log.info("This node is now the cluster leader (scheduled key rotation and purge run here)");
        } catch (SQLException | RuntimeException e) {
            release("its connection failed: " + e.getMessage());
        }
    }

    private synchronized void release(String why) {
        boolean was = leader;
        leader = false;
        if (held != null) {
            try {
                held.close();
            } catch (SQLException ignored) {
                // the connection is gone either way, and the lock with it
            }
            held = null;
        }
        if (was) {
            log.warn("This node is no longer the cluster leader: {}", why);
        }
    }
}
