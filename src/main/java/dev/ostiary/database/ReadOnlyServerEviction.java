package dev.ostiary.database;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Hikari evicts a connection on SQLState class 08 and on the server shutting down (57P01–57P03), not
 * on {@code 25006} read_only_sql_transaction. A pooled connection that ended up on a server refusing
 * writes (the standby before its promotion, a primary restarted as a standby, a database set
 * {@code default_transaction_read_only}) would then fail every write until {@code max-lifetime}. Evicted,
 * it is replaced by a new connection, which pgjdbc's {@code targetServerType=primary} opens only on a
 * server that accepts writes ({@code transaction_read_only = off}), or fails fast with 08001 while
 * there is none. Configured by {@code spring.datasource.hikari.exception-override-class-name}.
 */
public class ReadOnlyServerEviction implements SQLExceptionOverride {

    @java.lang.Override // the interface's own Override (an enum) hides the annotation's simple name
    public Override adjudicate(SQLException failure) {
        return DatabaseFailures.readOnlyServer(failure) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
