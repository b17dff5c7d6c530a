package io.fabricipam.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs JDBC work in one transaction and turns {@link SQLException} into the exceptions the stores promise. */
final class Transactions {

    /** Work on a connection whose transaction this class commits or rolls back. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} and commits; on any failure rolls back, so that none of it is applied. (Only a
     * failing commit itself leaves the outcome unknown, as with any database.)
     */
    <T> T write(String what, Work<T> work) {
        return run(what, -1, work);
    }

    /** Runs a single-statement read; it needs no transaction of its own. */
    <T> T query(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /**
     * Runs reads that must see one state, e.g. a scope and its pools: under READ COMMITTED each statement of
     * PostgreSQL sees its own snapshot, so a concurrent save could show a scope with the pools of the next version.
     */
    <T> T read(String what, Work<T> work) {
        return run(what, Connection.TRANSACTION_REPEATABLE_READ, work);
    }

    /** {@code isolation} -1 keeps the connection's own (READ COMMITTED on H2 and PostgreSQL). */
    private <T> T run(String what, int isolation, Work<T> work) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw translate(what, e);
        }
        boolean autoCommit = true;
        int wasIsolation = -1;
        try {
            autoCommit = c.getAutoCommit();
            if (isolation != -1 && c.getTransactionIsolation() != isolation) {
                wasIsolation = c.getTransactionIsolation();
                c.setTransactionIsolation(isolation);
            }
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e instanceof SQLException sql ? translate(what, sql) : (RuntimeException) e;
        } finally {
            release(c, autoCommit, wasIsolation);
        }
    }

    /**
     * Gives a pooled connection back as it came (Hikari resets this too; other pools may not). A failure here
     * must not surface: the transaction's outcome is already decided, and a caller told "failed" after a
     * commit would retry what is stored. A connection that cannot be reset is broken; the pool drops it.
     */
    private static void release(Connection c, boolean autoCommit, int isolation) {
        try (c) {
            c.setAutoCommit(autoCommit);
            if (isolation != -1) {
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException ignored) {
            // see above
        }
    }

    /**
     * SQLSTATE class 22 (data exception, e.g. a value too long) and 23502 (a missing value) are the caller's
     * bad argument; the rest of class 23 (unique or foreign key) is a conflict with stored state. Both H2 and
     * PostgreSQL report these standard codes.
     */
    static RuntimeException translate(String what, SQLException e) {
        String state = sqlState(e);
        String message = what + ": " + e.getMessage();
        if (state != null && (state.startsWith("22") || state.equals("23502"))) {
            return new IllegalArgumentException(message, e);
        }
        if (state != null && state.startsWith("23")) {
            return new IllegalStateException(message, e);
        }
        return new StoreException(message, e);
    }

    /** The first SQLSTATE down the chain; a batch failure may keep it on its next exception or its cause. */
    static String sqlState(SQLException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null) {
                    return sql.getSQLState();
                }
                t = sql.getNextException() != null ? sql.getNextException() : sql.getCause();
            } else {
                t = t.getCause();
            }
        }
        return null;
    }
}
