package dev.ostiary.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Connections held for a long time (the LISTEN connection, the leader's lock): opened beside the
 * pool, not taken from it, so the pool keeps all its connections for requests; each named
 * ({@code application_name}) so an operator sees it in {@code pg_stat_activity}, with TCP keepalive
 * and a network timeout, so a database that vanished without closing the connection is noticed by the
 * next statement instead of never.
 */
public class DedicatedConnections {

    private static final Executor TIMEOUTS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ostiary-dedicated-connection-timeout");
        thread.setDaemon(true);
        return thread;
    });

    private final DataSource dataSource;
    private final Duration networkTimeout;

    public DedicatedConnections(DataSource dataSource, Duration networkTimeout) {
        this.dataSource = dataSource;
        this.networkTimeout = networkTimeout;
    }

    /** A new autocommit connection named {@code applicationName}; the caller closes it. */
    public Connection open(String applicationName) throws SQLException {
        Connection connection = hikari() instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                ? DriverManager.getConnection(pool.getJdbcUrl(), properties(pool, applicationName))
                : dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select set_config('application_name', '" + applicationName + "', false)");
            }
            connection.setNetworkTimeout(TIMEOUTS, (int) networkTimeout.toMillis());
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private DataSource hikari() {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : dataSource;
        } catch (SQLException e) {
            return dataSource;
        }
    }

    private static Properties properties(HikariDataSource pool, String applicationName) {
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "5");
        return properties;
    }

    /** Runs {@code select 1}: throws when the connection is dead or the database does not answer in time. */
    public static void check(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("select 1");
        }
    }
}
