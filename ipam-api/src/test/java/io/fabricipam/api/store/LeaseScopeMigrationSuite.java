package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V4 on a database that V1-V3 left with orphan lease rows (a lease change committed after its scope was
 * deleted): the orphans go, every other row and all history stay, and from then on the database itself
 * refuses an orphan and deletes a scope's rows with the scope.
 */
abstract class LeaseScopeMigrationSuite {

    static final UUID LIVE = UUID.fromString("a4000000-0000-4000-8000-000000000001");
    static final UUID GONE = UUID.fromString("a4000000-0000-4000-8000-000000000002");

    /** A new, empty database (url; user "sa" on H2, the server's user on PostgreSQL). */
    abstract String newDatabase();

    abstract String user();

    @Test
    void orphanRowsAreRemovedAndNewOnesRefused() throws SQLException {
        String url = newDatabase();
        Flyway.configure().dataSource(url, user(), "").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user(), ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO scope (id, name, network, prefix, vlan, lease_seconds, options, version, created_at,"
                    + " updated_at) VALUES ('" + LIVE + "', 'live', 167772160, 24, 0, 3600, '{}', 1, CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP)");
            insertLease(c, LIVE, 167772161L);
            insertLease(c, GONE, 167772162L); // its scope was deleted before V4
            insertLease(c, GONE, 167772163L);
            s.execute("INSERT INTO lease_event (scope_id, address, event_type, occurred_at) VALUES ('" + GONE
                    + "', 167772162, 'BOUND', CURRENT_TIMESTAMP)");
            s.execute("UPDATE lease_journal SET position = 77 WHERE id = 1");
        }

        Flyway.configure().dataSource(url, user(), "").load().migrate();

        try (Connection c = DriverManager.getConnection(url, user(), ""); Statement s = c.createStatement()) {
            assertThat(scopesOfLeases(c)).containsExactly(LIVE.toString());
            assertThat(count(c, "SELECT count(*) FROM lease_event WHERE scope_id = '" + GONE + "'"))
                    .as("history outlives its scope").isEqualTo(1);
            assertThat(count(c, "SELECT position FROM lease_journal WHERE id = 1")).isEqualTo(77);
            assertThat(count(c, "SELECT count(*) FROM lease_journal WHERE journal_id IS NULL"))
                    .as("not bound to a journal until one starts").isEqualTo(1);
            assertThatThrownBy(() -> insertLease(c, GONE, 167772164L)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("lease_scope_fk"));
            s.execute("DELETE FROM scope WHERE id = '" + LIVE + "'");
            assertThat(scopesOfLeases(c)).as("a scope's rows go with it").isEmpty();
        }
    }

    private static void insertLease(Connection c, UUID scope, long address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lease (scope_id, address, state, expires_at)"
                + " VALUES (?, ?, 'BOUND', CURRENT_TIMESTAMP)")) {
            ps.setObject(1, scope);
            ps.setLong(2, address);
            ps.executeUpdate();
        }
    }

    private static List<String> scopesOfLeases(Connection c) throws SQLException {
        List<String> scopes = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope_id FROM lease")) {
            while (rs.next()) {
                scopes.add(rs.getObject(1).toString());
            }
        }
        return scopes;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
