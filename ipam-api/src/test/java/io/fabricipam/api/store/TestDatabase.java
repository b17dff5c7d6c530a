package io.fabricipam.api.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A migrated database for store tests, pooled as in the application (Hikari), emptied between tests. */
final class TestDatabase implements AutoCloseable {

    /** Children before parents, for the foreign keys. */
    private static final String[] TABLES = {"lease_event", "lease", "reservation", "scope_pool", "scope_exclusion", "scope"};

    private final HikariDataSource dataSource;

    private TestDatabase(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setPoolName("test-" + user);
        this.dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    /**
     * A private in-memory H2 in PostgreSQL mode, as the application's embedded default; it lives until
     * {@link #close()}.
     */
    static TestDatabase h2Memory() {
        return new TestDatabase("jdbc:h2:mem:store-" + UUID.randomUUID() + ";MODE=PostgreSQL", "sa");
    }

    static TestDatabase at(String url, String user) {
        return new TestDatabase(url, user);
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * Deletes every row, unbinds the lease journal and puts the leader epoch back at 0; cheaper than a new database per test, and the identity
     * keeps counting (harmless).
     */
    void clear() {
        execute(java.util.Arrays.stream(TABLES).map(t -> "DELETE FROM " + t).toArray(String[]::new));
        execute("UPDATE lease_journal SET position = 0, journal_id = NULL WHERE id = 1");
        execute("UPDATE leader_epoch SET epoch = 0, host_id = NULL, claimed_at = NULL WHERE id = 1");
    }

    /** A scope row with only what the schema requires (lease rows need their scope). */
    void insertScope(UUID id, String name) {
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO scope (id, name, network, prefix, vlan, lease_seconds, options, version, created_at, updated_at)"
                        + " VALUES (?, ?, 167772160, 8, 0, 3600, '{}', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void deleteScope(UUID id) {
        try (Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM scope WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String... sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        String url = dataSource.getJdbcUrl();
        dataSource.close();
        if (url.startsWith("jdbc:h2:")) {
            // The stores keep an H2 database open after its last connection (DB_CLOSE_DELAY -1).
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
