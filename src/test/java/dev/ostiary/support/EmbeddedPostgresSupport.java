package dev.ostiary.support;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per JVM (zonky's embedded binaries, the same major version as
 * docker-compose.yml's image), with a fresh database for each Spring context that asks.
 */
public final class EmbeddedPostgresSupport {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresSupport() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start the embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    /** A server that keeps its data in {@code dataDirectory} across runs (the dev server). */
    public static EmbeddedPostgres persistentServer(Path dataDirectory, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    /**
     * Copies a database that nobody is connected to (PostgreSQL's {@code create database … template}),
     * and returns the copy's JDBC URL: a server's data as it left it, without starting that server again
     * for each test that needs it. A pool closed a moment ago may still be letting its connections go,
     * so a busy template is retried for a few seconds.
     */
    public static String copyOf(String jdbcUrl) {
        String template = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String name = "ostiary_test_" + DATABASES.incrementAndGet();
        DataSource admin = server().getPostgresDatabase();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("create database " + name + " template " + template);
                return server().getJdbcUrl("postgres", name);
            } catch (SQLException e) {
                // 55006 object_in_use: the template still has a connection
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not copy database " + template, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String newDatabase() {
        String name = "ostiary_test_" + DATABASES.incrementAndGet();
        DataSource admin = server().getPostgresDatabase();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }
}
