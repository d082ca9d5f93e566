package dev.ostiary.database;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures mean "there is no usable primary database right now" (so the answer is 503 with
 * {@code Retry-After}, and the pool must look for the primary again), as opposed to a bug or a bad
 * request. The exception is searched along its causes (Spring's and JPA's wrappers keep the driver's
 * {@link SQLException} there) and, for a {@link SQLException}, along its next exceptions (a batch).
 */
public final class DatabaseFailures {

    /**
     * SQLStates of a server that is there but must not be written to, or is going away (PostgreSQL
     * appendix A): {@code 25006} read_only_sql_transaction (a node that reached the standby before its
     * promotion, or a primary demoted under it), {@code 57P01} admin_shutdown, {@code 57P02}
     * crash_shutdown, {@code 57P03} cannot_connect_now (starting up, or a standby not yet accepting),
     * {@code 57P05} idle_session_timeout.
     */
    private static final Set<String> WRONG_OR_LEAVING_SERVER = Set.of("25006", "57P01", "57P02", "57P03", "57P05");

    /**
     * SQLStates of a statement that lost to a concurrent one (PostgreSQL appendix A): {@code 40001}
     * serialization_failure, {@code 40P01} deadlock_detected, {@code 55P03} lock_not_available.
     */
    private static final Set<String> LOST_TO_A_CONCURRENT_CHANGE = Set.of("40001", "40P01", "55P03");

    private DatabaseFailures() {
    }

    /**
     * Whether {@code failure}, or anything that caused it, is a request that lost to a concurrent change
     * of the same rows (an optimistic lock, a deadlock victim, a serialization failure): the database is
     * well, and the same request may succeed when retried. Not {@link #unavailable}: that one says the
     * server is gone, which is what operators are alerted to.
     */
    public static boolean concurrentChange(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof ConcurrencyFailureException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                int next = 0;
                for (SQLException e = sql; e != null && next < 10; e = e.getNextException(), next++) {
                    if (e.getSQLState() != null && LOST_TO_A_CONCURRENT_CHANGE.contains(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code failure}, or anything that caused it, says the primary database is unavailable. */
    public static boolean unavailable(Throwable failure) {
        if (concurrentChange(failure)) {
            return false;
        }
        boolean jdbc = false;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    // Hikari: no connection within connection-timeout
                    || t instanceof SQLTransientConnectionException
                    // Hibernate's translation of SQLState class 08, when Spring did not translate it
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql) {
                jdbc = true;
                if (unavailableServer(sql)) {
                    return true;
                }
            }
            // a socket failure counts only under a JDBC failure: the outbound fetcher's are not ours to classify
            if (jdbc && (t instanceof java.net.ConnectException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this statement's failure (or a chained one) is the server's, not the statement's. */
    public static boolean unavailableServer(SQLException failure) {
        int depth = 0;
        for (SQLException e = failure; e != null && depth < 10; e = e.getNextException(), depth++) {
            String state = e.getSQLState();
            // class 08: connection exceptions (no primary found by targetServerType=primary is 08001)
            if (state != null && (state.startsWith("08") || WRONG_OR_LEAVING_SERVER.contains(state))) {
                return true;
            }
            String message = e.getMessage();
            if (state == null && message != null
                    && (message.contains("Connection is closed") || message.contains("connection has been closed"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the connection that raised {@code failure} is on a server that refuses writes. */
    public static boolean readOnlyServer(SQLException failure) {
        int depth = 0;
        for (SQLException e = failure; e != null && depth < 10; e = e.getNextException(), depth++) {
            if ("25006".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
