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
