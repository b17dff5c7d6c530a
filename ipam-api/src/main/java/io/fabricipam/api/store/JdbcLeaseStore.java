package io.fabricipam.api.store;

import static io.fabricipam.api.store.Columns.address;
import static io.fabricipam.api.store.Columns.client;
import static io.fabricipam.api.store.Columns.instant;
import static io.fabricipam.api.store.Columns.mac;
import static io.fabricipam.api.store.Columns.setAddress;
import static io.fabricipam.api.store.Columns.setClient;
import static io.fabricipam.api.store.Columns.setEnum;
import static io.fabricipam.api.store.Columns.setInstant;
import static io.fabricipam.api.store.Columns.setMac;
import static io.fabricipam.api.store.Columns.setText;
import static io.fabricipam.api.store.Columns.setUuid;
import static io.fabricipam.api.store.Columns.uuid;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.UnknownScopeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * A {@link LeaseStore} on plain JDBC (H2 or PostgreSQL, schema in V1__scopes_and_leases.sql; the lease
 * row's foreign key to its scope and the journal binding in V4__lease_scope_fk_and_journal_id.sql).
 *
 * <p>{@link #apply} is on the DHCP path (every DHCPACK waits for it), so it costs one transaction and at
 * most three JDBC batches whatever the number of changes: an upsert batch, a delete batch and an event
 * batch. Splitting rows into upserts and deletes keeps the order of the changes because each change
 * replaces the whole row of its address: only the last change of an address matters, and with one change
 * per address the two batches touch different rows. Events are inserted in order; their identity gives
 * the history its order.
 *
 * <p>Fencing (V5__leader_epoch.sql): constructed with its writer's leader epoch, the store checks in every
 * {@code apply} transaction, before writing, that the stored epoch is not higher (see {@link LeaderFence}
 * for why an old leader's write then lands before a new leader's claim or not at all), refuses the change
 * with {@link io.fabricipam.dhcp.store.FencedWriteException} otherwise, and records the epoch in each row
 * and event it writes. Constructed without one (a single host) it writes unchecked at epoch 0, exactly as
 * before fencing existed: no extra statement. {@link #deleteLeases} is an operator's action and is not fenced.
 */
public final class JdbcLeaseStore implements LeaseStore {

    private static final String LEASE_COLUMNS =
            "scope_id, address, client_key, mac, hostname, state, started_at, expires_at, seen_on";
    private static final String EVENT_COLUMNS =
            "scope_id, address, event_type, client_key, mac, occurred_at, expires_at, seen_on, detail";
    // Standard MERGE (H2 2.x and PostgreSQL 15). The source casts only to unbounded types, so that a value
    // too long for its column fails on assignment instead of being cut by the cast.
    private static final String MERGE_LEASE = "MERGE INTO lease l USING (VALUES (CAST(? AS UUID), CAST(? AS BIGINT),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR),"
            + " CAST(? AS BIGINT)))"
            + " AS s (" + LEASE_COLUMNS + ", epoch)"
            + " ON l.scope_id = s.scope_id AND l.address = s.address"
            + " WHEN MATCHED THEN UPDATE SET client_key = s.client_key, mac = s.mac, hostname = s.hostname,"
            + " state = s.state, started_at = s.started_at, expires_at = s.expires_at, seen_on = s.seen_on,"
            + " epoch = s.epoch"
            + " WHEN NOT MATCHED THEN INSERT (" + LEASE_COLUMNS + ", epoch) VALUES (s.scope_id, s.address, s.client_key,"
            + " s.mac, s.hostname, s.state, s.started_at, s.expires_at, s.seen_on, s.epoch)";
    private static final String DELETE_LEASE = "DELETE FROM lease WHERE scope_id = ? AND address = ?";
    private static final String INSERT_EVENT = "INSERT INTO lease_event (" + EVENT_COLUMNS + ", epoch)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The epoch an unfenced store (a single host) records: nobody has claimed one. */
    private static final long UNFENCED_EPOCH = 0;
    /** The foreign key lease -> scope (V4); its violation means the scope of a row does not exist. */
    static final String SCOPE_FOREIGN_KEY = "lease_scope_fk";
    /** foreign_key_violation (PostgreSQL; H2 when a parent row is deleted) and H2's parent-missing code. */
    private static final Set<String> FOREIGN_KEY_STATES = Set.of("23503", "23506");

    /** Rows per round trip when loading every lease (PostgreSQL; H2 embedded reads them in place). */
    static final int LOAD_FETCH_ROWS = 4096;

    private record Key(UUID scopeId, Ipv4Address address) {
    }

    private final Transactions tx;
    private final LeaderFence fence; // null: unfenced

    /**
     * An unfenced store, a single host's. Sets H2 to durable commits (see {@link CommitDurability}); the schema
     * must already be migrated.
     */
    public JdbcLeaseStore(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * A store fenced by a leader epoch: each {@code apply} writes with the epoch {@code writerEpoch} gives at
     * that moment (the one this host claimed with {@link JdbcLeaderEpochStore#claim}) and is refused when the
     * stored epoch is higher. Null: unfenced, as {@link #JdbcLeaseStore(DataSource)}.
     */
    public JdbcLeaseStore(DataSource dataSource, LongSupplier writerEpoch) {
        this.tx = new Transactions(dataSource);
        this.fence = writerEpoch == null ? null : new LeaderFence(writerEpoch);
        CommitDurability.ensure(dataSource);
    }

    @Override
    public List<Lease> leases(UUID scopeId) {
        return tx.query("list leases of " + scopeId, c -> {
            List<Lease> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + LEASE_COLUMNS + " FROM lease WHERE scope_id = ? ORDER BY address")) {
                setUuid(ps, 1, scopeId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Lease(uuid(rs, "scope_id"), address(rs, "address"), client(rs, "client_key"),
                                mac(rs, "mac"), rs.getString("hostname"), LeaseState.valueOf(rs.getString("state")),
                                instant(rs, "started_at"), instant(rs, "expires_at"), rs.getString("seen_on")));
                    }
                }
            }
            return list;
        });
    }

    /**
     * A plain scan in storage order: reaching each row through the (scope_id, address) key, as {@link #leases}
     * does, costs H2 a lookup per row, measured at a third more CPU for 100,000 rows. Columns by position, read
     * in a transaction so that PostgreSQL streams them ({@link #LOAD_FETCH_ROWS} at a time) rather than holding
     * the whole table in memory.
     */
    @Override
    public void forEachLease(Consumer<Lease> action) {
        tx.read("read every lease", c -> {
            // H2 hands out an Instant directly, at a fraction of the cost of an OffsetDateTime (a tenth of the
            // whole load); PostgreSQL's driver has OffsetDateTime only
            boolean instants = "H2".equals(c.getMetaData().getDatabaseProductName());
            try (PreparedStatement ps = c.prepareStatement("SELECT " + LEASE_COLUMNS + " FROM lease")) {
                ps.setFetchSize(LOAD_FETCH_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        action.accept(leaseAt(rs, instants));
                    }
                }
            }
            return null;
        });
    }

    /** The row under the cursor, columns in the order of {@link #LEASE_COLUMNS}. */
    private static Lease leaseAt(ResultSet rs, boolean instants) throws SQLException {
        String client = rs.getString(3);
        String mac = rs.getString(4);
        return new Lease(rs.getObject(1, UUID.class), Ipv4Address.ofUnsigned(rs.getLong(2)),
                client == null ? null : ClientKey.parse(client), mac == null ? null : MacAddress.parse(mac), rs.getString(5),
                LeaseState.valueOf(rs.getString(6)), instantAt(rs, 7, instants), instantAt(rs, 8, instants), rs.getString(9));
    }

    private static Instant instantAt(ResultSet rs, int column, boolean instants) throws SQLException {
        if (instants) {
            return rs.getObject(column, Instant.class);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @Override
    public void apply(List<LeaseChange> changes) {
        apply(changes, -1);
    }

    @Override
    public void apply(List<LeaseChange> changes, long journalPosition) {
        Map<Key, Lease> last = new LinkedHashMap<>(); // a null value deletes the row
        List<LeaseEvent> events = new ArrayList<>();
        for (LeaseChange change : changes) {
            if (!change.durable()) {
                continue;
            }
            last.put(new Key(change.scopeId(), change.address()), change.after());
            if (change.event() != null) {
                events.add(change.event());
            }
        }
        if (last.isEmpty() && journalPosition < 0) {
            return;
        }
        try {
            tx.write("apply " + last.size() + " lease change(s)", c -> {
                long epoch = fence == null ? UNFENCED_EPOCH : fence.check(c); // first: see LeaderFence
                writeRows(c, last, epoch);
                insertEvents(c, events, epoch);
                if (journalPosition >= 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE lease_journal SET position = ? WHERE id = 1")) {
                        ps.setLong(1, journalPosition);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (IllegalStateException refused) {
            if (isScopeForeignKey(refused)) {
                throw unknownScope(last, refused);
            }
            throw refused;
        }
    }

    private static boolean isScopeForeignKey(IllegalStateException e) {
        return e.getCause() instanceof SQLException sql && FOREIGN_KEY_STATES.contains(Transactions.sqlState(sql))
                && String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT).contains(SCOPE_FOREIGN_KEY);
    }

    /** Names the missing scope: the one of the batch that is not in the scope table (a rare path, so a query). */
    private UnknownScopeException unknownScope(Map<Key, Lease> rows, IllegalStateException refused) {
        Set<UUID> scopes = new LinkedHashSet<>();
        rows.values().stream().filter(l -> l != null).forEach(l -> scopes.add(l.scopeId()));
        UUID missing = null;
        try {
            for (UUID id : scopes) {
                if (!scopeExists(id)) {
                    missing = id;
                    break;
                }
            }
        } catch (RuntimeException lookupFailed) {
            refused.addSuppressed(lookupFailed);
        }
        return new UnknownScopeException(missing, (missing == null ? "a scope" : "scope " + missing)
                + " does not exist (deleted?): its lease rows are refused", refused);
    }

    private boolean scopeExists(UUID id) {
        return tx.query("scope " + id + " exists", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM scope WHERE id = ?")) {
                setUuid(ps, 1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public UUID journalId() {
        return tx.query("journal id", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT journal_id FROM lease_journal WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? uuid(rs, "journal_id") : null;
            }
        });
    }

    @Override
    public boolean bindJournal(UUID expected, UUID id) {
        String sql = "UPDATE lease_journal SET journal_id = ? WHERE id = 1 AND journal_id "
                + (expected == null ? "IS NULL" : "= ?");
        return tx.write("bind the lease journal " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                setUuid(ps, 1, id);
                if (expected != null) {
                    setUuid(ps, 2, expected);
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public long journalPosition() {
        return tx.query("journal position", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT position FROM lease_journal WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static void writeRows(Connection c, Map<Key, Lease> last, long epoch) throws SQLException {
        List<Key> deletes = new ArrayList<>();
        PreparedStatement merge = null;
        try {
            for (Map.Entry<Key, Lease> e : last.entrySet()) {
                Lease l = e.getValue();
                if (l == null) {
                    deletes.add(e.getKey());
                    continue;
                }
                if (merge == null) {
                    merge = c.prepareStatement(MERGE_LEASE);
                }
                setUuid(merge, 1, l.scopeId());
                setAddress(merge, 2, l.address());
                setClient(merge, 3, l.client());
                setMac(merge, 4, l.mac());
                setText(merge, 5, l.hostname());
                setEnum(merge, 6, l.state());
                setInstant(merge, 7, l.startedAt());
                setInstant(merge, 8, l.expiresAt());
                setText(merge, 9, l.seenOn());
                merge.setLong(10, epoch);
                merge.addBatch();
            }
            if (merge != null) {
                merge.executeBatch();
            }
        } finally {
            if (merge != null) {
                merge.close();
            }
        }
        if (deletes.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(DELETE_LEASE)) {
            for (Key k : deletes) {
                setUuid(delete, 1, k.scopeId());
                setAddress(delete, 2, k.address());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<LeaseEvent> events, long epoch) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (LeaseEvent e : events) {
                setUuid(ps, 1, e.scopeId());
                setAddress(ps, 2, e.address());
                setEnum(ps, 3, e.type());
                setClient(ps, 4, e.client());
                setMac(ps, 5, e.mac());
                setInstant(ps, 6, e.at());
                setInstant(ps, 7, e.expiresAt());
                setText(ps, 8, e.seenOn());
                setText(ps, 9, e.detail());
                ps.setLong(10, epoch);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit) {
        return tx.query("history of " + address + " in scope " + scopeId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM lease_event WHERE scope_id = ? AND address = ? ORDER BY id DESC LIMIT ?")) {
                setUuid(ps, 1, scopeId);
                setAddress(ps, 2, address);
                ps.setInt(3, limit);
                return readEvents(ps);
            }
        });
    }

    @Override
    public List<LeaseEvent> historyOf(MacAddress mac, int limit) {
        return tx.query("history of " + mac, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM lease_event WHERE mac = ? ORDER BY id DESC LIMIT ?")) {
                setMac(ps, 1, mac);
                ps.setInt(2, limit);
                return readEvents(ps);
            }
        });
    }

    @Override
    public List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM lease_event WHERE 1 = 1");
        if (scopeId != null) {
            sql.append(" AND scope_id = ?");
        }
        if (type != null) {
            sql.append(" AND event_type = ?");
        }
        if (mac != null) {
            sql.append(" AND mac = ?");
        }
        if (since != null) {
            sql.append(" AND occurred_at >= ?");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        return tx.query("events", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (scopeId != null) {
                    setUuid(ps, i++, scopeId);
                }
                if (type != null) {
                    ps.setString(i++, type.name());
                }
                if (mac != null) {
                    setMac(ps, i++, mac);
                }
                if (since != null) {
                    setInstant(ps, i++, since);
                }
                ps.setInt(i, limit);
                return readEvents(ps);
            }
        });
    }

    private static List<LeaseEvent> readEvents(PreparedStatement ps) throws SQLException {
        List<LeaseEvent> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new LeaseEvent(uuid(rs, "scope_id"), address(rs, "address"),
                        LeaseEventType.valueOf(rs.getString("event_type")), client(rs, "client_key"), mac(rs, "mac"),
                        instant(rs, "occurred_at"), instant(rs, "expires_at"), rs.getString("seen_on"),
                        rs.getString("detail")));
            }
        }
        return list;
    }

    @Override
    public void deleteLeases(UUID scopeId) {
        // lease_event is left alone: the history outlives the rows, for audit.
        tx.write("delete leases of " + scopeId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM lease WHERE scope_id = ?")) {
                setUuid(ps, 1, scopeId);
                return ps.executeUpdate();
            }
        });
    }
}
