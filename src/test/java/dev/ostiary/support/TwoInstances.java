package dev.ostiary.support;

/**
 * Two Ostiary instances on one database, scheduled key rotation off, started when a test first needs
 * them and kept for the rest of the test run (stopped when the JVM ends). TwoInstancesTest and
 * SessionsAcrossInstancesTest each used to start a pair of their own; what they check (keys, revoked
 * tokens, a user's sessions) uses rows of their own, so one pair serves both.
 */
public final class TwoInstances {

    private static StandaloneServer first;
    private static StandaloneServer second;

    private TwoInstances() {
    }

    public static synchronized StandaloneServer first() {
        start();
        return first;
    }

    public static synchronized StandaloneServer second() {
        start();
        return second;
    }

    private static void start() {
        if (first != null) {
            return;
        }
        String database = EmbeddedPostgresSupport.newDatabase();
        first = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false");
        second = StandaloneServer.start(database, "--ostiary.keys.rotation-enabled=false");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            second.close();
            first.close();
        }));
    }
}
