package io.fabricipam.api.store;

import static io.fabricipam.api.store.Columns.address;
import static io.fabricipam.api.store.Columns.mac;
import static io.fabricipam.api.store.Columns.nullableLong;
import static io.fabricipam.api.store.Columns.setAddress;
import static io.fabricipam.api.store.Columns.setInstant;
import static io.fabricipam.api.store.Columns.setLong;
import static io.fabricipam.api.store.Columns.setMac;
import static io.fabricipam.api.store.Columns.setText;
import static io.fabricipam.api.store.Columns.setUuid;
import static io.fabricipam.api.store.Columns.uuid;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.ScopeStore;
import io.fabricipam.dhcp.store.StaleScopeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A {@link ScopeStore} on plain JDBC (H2 or PostgreSQL, schema in V1__scopes_and_leases.sql). A scope is
 * one row plus its pools and exclusions, written and read together in one transaction. Refusals follow
 * the contract suite: a taken name, a reservation's address taken by another MAC or a missing scope are
 * {@link IllegalStateException}; a value the columns cannot hold is {@link IllegalArgumentException}.
 */
public final class JdbcScopeStore implements ScopeStore {

    private static final String BUMP_REVISION = "UPDATE scope_revision SET revision = revision + 1 WHERE id = 1";
    private static final String READ_REVISION = "SELECT revision FROM scope_revision WHERE id = 1";

    private static final String SCOPE_COLUMNS = "id, name, network, prefix, gateway, vlan, lease_seconds, renewal_seconds,"
            + " rebinding_seconds, server_identifier, server_mac, options, version";
    private static final String INSERT_SCOPE = "INSERT INTO scope (" + SCOPE_COLUMNS + ", created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SCOPE = "UPDATE scope SET name = ?, network = ?, prefix = ?, gateway = ?, vlan = ?,"
            + " lease_seconds = ?, renewal_seconds = ?, rebinding_seconds = ?, server_identifier = ?, server_mac = ?,"
            + " options = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?";
    private static final String MERGE_RESERVATION = "MERGE INTO reservation r"
            + " USING (VALUES (CAST(? AS UUID), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR)))"
            + " AS s (scope_id, mac, address, hostname)"
            + " ON r.scope_id = s.scope_id AND r.mac = s.mac"
            + " WHEN MATCHED THEN UPDATE SET address = s.address, hostname = s.hostname"
            + " WHEN NOT MATCHED THEN INSERT (scope_id, mac, address, hostname)"
            + " VALUES (s.scope_id, s.mac, s.address, s.hostname)";

    /** The two tables of address ranges, which share one shape. */
    private enum Ranges {
        POOLS("scope_pool"), EXCLUSIONS("scope_exclusion");

        final String table;

        Ranges(String table) {
            this.table = table;
        }
    }

    private final Transactions tx;
    private final Clock clock;

    /** Sets H2 to durable commits (see {@link CommitDurability}); the schema must already be migrated. */
    public JdbcScopeStore(DataSource dataSource, Clock clock) {
        this.tx = new Transactions(dataSource);
        this.clock = clock;
        CommitDurability.ensure(dataSource);
    }

    @Override
    public List<Scope> scopes() {
        List<Scope> list = tx.read("list scopes", c -> readScopes(c, null));
        // Sorted here, not by ORDER BY: the database's collation (locale of a PostgreSQL cluster) would
        // order names differently from the in-memory store.
        list.sort(Comparator.comparing(Scope::name));
        return list;
    }

    /** Id, name and version only: a row whose other columns cannot be read is still listed. */
    @Override
    public List<Entry> entries() {
        return tx.read("list scope names", c -> {
            List<Entry> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, version FROM scope");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Entry(uuid(rs, "id"), rs.getString("name"), rs.getLong("version")));
                }
            }
            return list;
        });
    }

    @Override
    public Optional<Scope> scope(UUID id) {
        return tx.read("read scope " + id, c -> readScopes(c, id)).stream().findFirst();
    }

    /** Every scope, or only {@code id}; one query per table rather than one per scope. */
    private static List<Scope> readScopes(Connection c, UUID id) throws SQLException {
        String where = id == null ? "" : " WHERE scope_id = ?";
        Map<UUID, List<AddressRange>> pools = readRanges(c, Ranges.POOLS, where, id);
        Map<UUID, List<AddressRange>> exclusions = readRanges(c, Ranges.EXCLUSIONS, where, id);
        List<Scope> scopes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SCOPE_COLUMNS + " FROM scope"
                + (id == null ? "" : " WHERE id = ?"))) {
            if (id != null) {
                setUuid(ps, 1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID scopeId = uuid(rs, "id");
                    scopes.add(new Scope(scopeId, rs.getString("name"),
                            new Ipv4Network(address(rs, "network"), rs.getInt("prefix")),
                            address(rs, "gateway"), rs.getInt("vlan"),
                            pools.getOrDefault(scopeId, List.of()), exclusions.getOrDefault(scopeId, List.of()),
                            rs.getLong("lease_seconds"), nullableLong(rs, "renewal_seconds"),
                            nullableLong(rs, "rebinding_seconds"), ScopeOptionsJson.read(rs.getString("options")),
                            address(rs, "server_identifier"), mac(rs, "server_mac"), rs.getLong("version")));
                }
            }
        }
        return scopes;
    }

    private static Map<UUID, List<AddressRange>> readRanges(Connection c, Ranges ranges, String where, UUID id)
            throws SQLException {
        Map<UUID, List<AddressRange>> byScope = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT scope_id, first_address, last_address FROM "
                + ranges.table + where + " ORDER BY scope_id, ordinal")) {
            if (id != null) {
                setUuid(ps, 1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byScope.computeIfAbsent(uuid(rs, "scope_id"), k -> new ArrayList<>())
                            .add(new AddressRange(address(rs, "first_address"), address(rs, "last_address")));
                }
            }
        }
        return byScope;
    }

    @Override
    public Scope save(Scope scope) {
        Scope stored = scope.withVersion(scope.version() + 1);
        Instant now = clock.instant();
        try {
            return tx.write("save scope " + scope.id(), c -> {
                if (!update(c, scope, stored, now)) {
                    long current = currentVersion(c, scope.id());
                    if (current >= 0) {
                        throw new StaleScopeException(scope.id(), scope.version(), current);
                    }
                    insert(c, stored, now);
                }
                writeRanges(c, stored.id(), Ranges.POOLS, stored.pools());
                writeRanges(c, stored.id(), Ranges.EXCLUSIONS, stored.exclusions());
                bumpRevision(c);
                return stored;
            });
        } catch (IllegalStateException conflict) {
            // A unique key: a taken name, or a concurrent insert of the same id (which is a stale write).
            long current = tx.query("read scope version", c -> currentVersion(c, scope.id()));
            if (current >= 0 && current != scope.version()) {
                throw new StaleScopeException(scope.id(), scope.version(), current);
            }
            throw new IllegalStateException("a scope named '" + scope.name() + "' already exists", conflict);
        }
    }

    private static boolean update(Connection c, Scope scope, Scope stored, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_SCOPE)) {
            int i = bindScopeFields(ps, 1, stored);
            setInstant(ps, i++, now);
            setUuid(ps, i++, scope.id());
            ps.setLong(i, scope.version());
            return ps.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, Scope stored, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SCOPE)) {
            setUuid(ps, 1, stored.id());
            int i = bindScopeFields(ps, 2, stored);
            setInstant(ps, i++, now);
            setInstant(ps, i, now);
            ps.executeUpdate();
        }
    }

    /** Binds name .. version, in the order of SCOPE_COLUMNS after id; returns the next index. */
    private static int bindScopeFields(PreparedStatement ps, int first, Scope s) throws SQLException {
        int i = first;
        setText(ps, i++, s.name());
        setAddress(ps, i++, s.network().address());
        ps.setInt(i++, s.network().prefixLength());
        setAddress(ps, i++, s.gateway());
        ps.setInt(i++, s.vlan());
        ps.setLong(i++, s.leaseTime());
        setLong(ps, i++, s.renewalTime());
        setLong(ps, i++, s.rebindingTime());
        setAddress(ps, i++, s.serverIdentifier());
        setMac(ps, i++, s.serverMac());
        setText(ps, i++, ScopeOptionsJson.write(s.options()));
        ps.setLong(i++, s.version());
        return i;
    }

    /** The stored version of a scope, or -1 when there is none. */
    private static long currentVersion(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM scope WHERE id = ?")) {
            setUuid(ps, 1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /**
     * Brings the scope's rows of {@code ranges} to {@code list}, rewriting only from the first ordinal that
     * differs: adding an exclusion to a scope with thousands of them is one insert, not a delete and a
     * re-insert of every row (measured: about a second per POST at 4,000 exclusions).
     */
    private static void writeRanges(Connection c, UUID scopeId, Ranges ranges, List<AddressRange> list)
            throws SQLException {
        int same = 0;
        int stored = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT first_address, last_address FROM " + ranges.table
                + " WHERE scope_id = ? ORDER BY ordinal")) {
            setUuid(ps, 1, scopeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (same == stored && same < list.size() && rs.getLong(1) == list.get(same).start().unsigned()
                            && rs.getLong(2) == list.get(same).end().unsigned()) {
                        same++;
                    }
                    stored++;
                }
            }
        }
        if (same < stored) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + ranges.table
                    + " WHERE scope_id = ? AND ordinal >= ?")) {
                setUuid(ps, 1, scopeId);
                ps.setInt(2, same);
                ps.executeUpdate();
            }
        }
        if (same == list.size()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ranges.table
                + " (scope_id, ordinal, first_address, last_address) VALUES (?, ?, ?, ?)")) {
            for (int i = same; i < list.size(); i++) {
                setUuid(ps, 1, scopeId);
                ps.setInt(2, i);
                setAddress(ps, 3, list.get(i).start());
                setAddress(ps, 4, list.get(i).end());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public boolean delete(UUID id) {
        // Pools, exclusions and reservations go with it (ON DELETE CASCADE).
        return tx.write("delete scope " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scope WHERE id = ?")) {
                setUuid(ps, 1, id);
                return ps.executeUpdate() > 0 && bumpRevision(c);
            }
        });
    }

    @Override
    public List<Reservation> reservations(UUID scopeId) {
        return tx.query("list reservations of " + scopeId, c -> {
            List<Reservation> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT mac, address, hostname FROM reservation WHERE scope_id = ? ORDER BY address")) {
                setUuid(ps, 1, scopeId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Reservation(scopeId, mac(rs, "mac"), address(rs, "address"), rs.getString("hostname")));
                    }
                }
            }
            return list;
        });
    }

    @Override
    public void saveReservation(Reservation r) {
        tx.write("reserve " + r.address() + " for " + r.mac() + " in scope " + r.scopeId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(MERGE_RESERVATION)) {
                setUuid(ps, 1, r.scopeId());
                setMac(ps, 2, r.mac());
                setAddress(ps, 3, r.address());
                setText(ps, 4, r.hostname());
                int rows = ps.executeUpdate();
                bumpRevision(c);
                return rows;
            }
        });
    }

    @Override
    public boolean deleteReservation(UUID scopeId, MacAddress mac) {
        return tx.write("delete reservation of " + mac + " in scope " + scopeId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM reservation WHERE scope_id = ? AND mac = ?")) {
                setUuid(ps, 1, scopeId);
                setMac(ps, 2, mac);
                return ps.executeUpdate() > 0 && bumpRevision(c);
            }
        });
    }

    @Override
    public long revision() {
        return tx.query("read the scope revision", c -> {
            try (PreparedStatement ps = c.prepareStatement(READ_REVISION); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** In the transaction of every write (see V6__scope_revision.sql); true, for the callers' expressions. */
    private static boolean bumpRevision(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BUMP_REVISION)) {
            ps.executeUpdate();
        }
        return true;
    }
}
