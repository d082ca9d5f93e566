package dev.ostiary.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The exceptions the driver, the pool, Spring and Hibernate really throw when there is no primary,
 * built with their own classes (the server's error as PostgreSQL sends it on the wire), and their
 * translations by Spring's PostgreSQL translator.
 */
@Tag("unit")
class DatabaseFailuresTest {

    /** An error as the server sends it (ErrorResponse fields: severity, SQLState, message). */
    private static PSQLException server(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0M" + message + "\0"));
    }

    /** As JdbcTemplate translates: Spring's PostgreSQL codes, else {@code UncategorizedSQLException} (25006 is one). */
    private static RuntimeException translated(SQLException e) {
        RuntimeException translated = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL").translate("insert",
                "insert into x values (1)", e);
        return translated != null ? translated
                : new org.springframework.jdbc.UncategorizedSQLException("insert", "insert into x values (1)", e);
    }

    @Test
    void whenNoPrimaryFoundThenUnavailable() {
        PSQLException noPrimary = new PSQLException("Could not find a server with specified targetServerType: primary",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        assertThat(DatabaseFailures.unavailable(noPrimary)).isTrue();
        assertThat(DatabaseFailures.unavailable(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 2000ms.",
                        noPrimary)))).isTrue();
    }

    @Test
    void whenServerShutsDownOrIsNotReadyThenUnavailable() {
        for (String state : new String[] { "57P01", "57P02", "57P03", "08006", "08003" }) {
            PSQLException e = server(state, "terminating connection due to administrator command");
            assertThat(DatabaseFailures.unavailable(e)).as(state).isTrue();
            assertThat(DatabaseFailures.unavailable(translated(e))).as("translated %s", state).isTrue();
        }
    }

    @Test
    void whenReadOnlyTransactionThenUnavailableAndConnectionEvicted() {
        PSQLException readOnly = server("25006", "cannot execute INSERT in a read-only transaction");
        assertThat(DatabaseFailures.unavailable(readOnly)).isTrue();
        assertThat(DatabaseFailures.unavailable(translated(readOnly))).isTrue();
        // JPA: Hibernate's wrapper inside Spring's
        assertThat(DatabaseFailures.unavailable(new JpaSystemException(new PersistenceException(
                new GenericJDBCException("could not execute statement", readOnly))))).isTrue();
        assertThat(new ReadOnlyServerEviction().adjudicate(readOnly)).isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
    }

    @Test
    void whenConnectionLostThroughSpringOrHibernateThenUnavailable() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));
        assertThat(DatabaseFailures.unavailable(new CannotGetJdbcConnectionException("no connection", refused))).isTrue();
        assertThat(DatabaseFailures.unavailable(new JDBCConnectionException("lost", refused))).isTrue();
        assertThat(DatabaseFailures.unavailable(new IllegalStateException(new SQLException("I/O error",
                (String) null, new java.io.EOFException())))).isTrue();
    }

    @Test
    void whenStatementFailsOnAHealthyServerThenNotUnavailable() {
        PSQLException duplicate = server("23505", "duplicate key value violates unique constraint");
        assertThat(DatabaseFailures.unavailable(duplicate)).isFalse();
        assertThat(translated(duplicate)).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(DatabaseFailures.unavailable(translated(duplicate))).isFalse();
        assertThat(DatabaseFailures.unavailable(server("42P01", "relation does not exist"))).isFalse();
        assertThat(new ReadOnlyServerEviction().adjudicate(duplicate))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }

    @Test
    void whenSocketFailsOutsideJdbcThenNotADatabaseOutage() {
        // the outbound fetcher's refused connection is not the database's
        assertThat(DatabaseFailures.unavailable(new IllegalStateException(new ConnectException("refused")))).isFalse();
        assertThat(DatabaseFailures.unavailable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void whenARequestLostToAConcurrentChangeThenAConflictAndNotAnOutage() {
        for (String state : new String[] { "40001", "40P01", "55P03" }) {
            PSQLException lost = server(state, "could not serialize access due to concurrent update");
            assertThat(DatabaseFailures.concurrentChange(lost)).as(state).isTrue();
            assertThat(DatabaseFailures.concurrentChange(translated(lost))).as("translated %s", state).isTrue();
            assertThat(DatabaseFailures.unavailable(translated(lost))).as("translated %s", state).isFalse();
        }
        // JPA's lost optimistic lock, as Spring translates it
        org.springframework.orm.ObjectOptimisticLockingFailureException stale =
                new org.springframework.orm.ObjectOptimisticLockingFailureException("app_user", "id");
        assertThat(DatabaseFailures.concurrentChange(stale)).isTrue();
        assertThat(DatabaseFailures.unavailable(stale)).isFalse();
        assertThat(DatabaseFailures.concurrentChange(server("57P01", "terminating connection"))).isFalse();
        assertThat(DatabaseFailures.concurrentChange(server("23505", "duplicate key"))).isFalse();
    }
}
