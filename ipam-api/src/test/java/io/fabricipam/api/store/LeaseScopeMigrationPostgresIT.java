package io.fabricipam.api.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** V4 on a private PostgreSQL 15; skipped where it is not installed, failed there in CI (Tools). */
@EnabledIf(value = "io.fabricipam.api.store.TestPostgres#installed",
        disabledReason = "PostgreSQL is not installed (apt-get install -y postgresql)")
class LeaseScopeMigrationPostgresIT extends LeaseScopeMigrationSuite {

    /** The server only; each test makes its own database on it. */
    record Server(String url, String user) implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    @RegisterExtension
    static final PrivatePostgres<Server> POSTGRES = new PrivatePostgres<>(Server::new);

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    String newDatabase() {
        String name = "jn_migration_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(POSTGRES.database().url(), user(), "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return POSTGRES.database().url().replaceAll("/postgres$", "/" + name);
    }

    @Override
    String user() {
        return POSTGRES.database().user();
    }
}
