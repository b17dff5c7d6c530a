package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.ScopeStore;
import io.fabricipam.dhcp.store.ScopeStoreContract;
import io.fabricipam.dhcp.store.StaleScopeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scope store contract plus what only the JDBC store has (columns an operator may query), per database. */
abstract class JdbcScopeStoreSuite extends ScopeStoreContract {

    static final Instant CREATED = Instant.parse("2024-06-01T08:00:00.250Z");

    /** The migrated database of the concrete class, shared by its tests. */
    abstract TestDatabase database();

    @Override
    protected ScopeStore newStore() {
        database().clear();
        return new JdbcScopeStore(database().dataSource(), Clock.fixed(CREATED, ZoneOffset.UTC));
    }

    @Test
    void createdAndUpdatedTimesComeFromTheClock() throws SQLException {
        Scope v1 = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Instant later = CREATED.plusSeconds(90);
        new JdbcScopeStore(database().dataSource(), Clock.fixed(later, ZoneOffset.UTC)).save(v1);

        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT created_at, updated_at FROM scope WHERE id = ?")) {
            ps.setObject(1, ID);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(CREATED);
                assertThat(rs.getObject(2, OffsetDateTime.class).toInstant()).isEqualTo(later);
            }
        }
    }

    @Test
    void addressesAreUnsignedNumbersAndOptionsReadableJson() throws SQLException {
        store.save(full(ID, "lab"));

        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT network, prefix, gateway, server_mac, options"
                        + " FROM scope WHERE id = ?")) {
            ps.setObject(1, ID);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong("network")).isEqualTo(0xc0a80000L); // 192.168.0.0, above 2^31
                assertThat(rs.getInt("prefix")).isEqualTo(16);
                assertThat(rs.getLong("gateway")).isEqualTo(0xc0a80001L);
                assertThat(rs.getString("server_mac")).isEqualTo(MAC_B.toString());
                assertThat(rs.getString("options"))
                        .contains("\"dnsServers\":[\"192.168.0.53\",\"9.9.9.9\"]")
                        .contains("{\"destination\":\"10.20.0.0/16\",\"router\":\"192.168.0.2\"}");
            }
        }
        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM scope_pool WHERE ? BETWEEN first_address AND last_address")) {
            ps.setLong(1, ip("192.168.201.1").unsigned());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void anInsertThatLosesTheRaceForItsIdIsStale() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = database().dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO scope (id, name, network, prefix, vlan,"
                    + " lease_seconds, options, version, created_at, updated_at)"
                    + " VALUES (?, 'first', 167772160, 24, 0, 3600, '{}', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                ps.setObject(1, ID);
                ps.executeUpdate();
            }
            Future<Object> second = pool.submit(() -> {
                try {
                    return store.save(minimal(ID, "second", "10.0.0.0/24"));
                } catch (RuntimeException e) {
                    return e;
                }
            });
            // Give the save time to block on the uncommitted key; if it is slower, it finds the committed
            // row instead, and the answer is the same.
            Thread.sleep(300);
            other.commit();

            assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOf(StaleScopeException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.scopes()).extracting(Scope::name).containsExactly("first");
    }

    @Test
    void emptyOptionsAreAnEmptyDocument() throws SQLException {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));

        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT options FROM scope")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("{}");
            }
        }
    }
}
