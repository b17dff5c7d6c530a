package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A {@link LeaseStore} in memory, for tests and for running without a database.
 *
 * <p>Given the scopes that exist ({@link #InMemoryLeaseStore(Predicate)}, e.g. those of an
 * {@link InMemoryScopeStore}), it refuses a row of any other scope with {@link UnknownScopeException}, as
 * the JDBC stores' foreign key does. One difference remains: the JDBC stores delete a scope's rows with
 * the scope (ON DELETE CASCADE), while here the rows stay until {@link #deleteLeases} (the registry calls
 * it before deleting a scope). Without the predicate every scope is accepted.
 *
 * <p>This store writes unfenced, as a single host does; {@link #fenced} gives a view that writes as one host
 * of a cluster, checked against a {@link InMemoryLeaderEpochStore} as the JDBC store is against the database.
 */
public final class InMemoryLeaseStore implements LeaseStore {

    /** The most DHCP option 12 carries; the JDBC stores' column is as wide. */
    static final int MAX_HOSTNAME = 255;

    private final Map<UUID, Map<Ipv4Address, Lease>> rows = new HashMap<>();
    private final List<LeaseEvent> events = new ArrayList<>();
    private final Predicate<UUID> scopeExists;
    private long journalPosition;
    private UUID journalId;

    /** A store that takes rows of any scope. */
    public InMemoryLeaseStore() {
        this(id -> true);
    }

    /** A store that refuses rows of scopes for which {@code scopeExists} is false. */
    public InMemoryLeaseStore(Predicate<UUID> scopeExists) {
        this.scopeExists = Objects.requireNonNull(scopeExists);
    }

    /** A store whose rows must belong to scopes of {@code scopes}. */
    public static InMemoryLeaseStore of(ScopeStore scopes) {
        return new InMemoryLeaseStore(id -> scopes.scope(id).isPresent());
    }

    @Override
    public synchronized List<Lease> leases(UUID scopeId) {
        List<Lease> list = new ArrayList<>(rows.getOrDefault(scopeId, Map.of()).values());
        list.sort(Comparator.comparing(Lease::address));
        return list;
    }

    @Override
    public synchronized void forEachLease(Consumer<Lease> action) {
        rows.values().forEach(scope -> scope.values().forEach(action));
    }

    @Override
    public synchronized void apply(List<LeaseChange> changes) {
        // Check everything first: a refused change must leave the whole batch unapplied, as a rollback would.
        for (LeaseChange c : changes) {
            if (c.durable()) {
                check(c);
            }
        }
        for (LeaseChange c : changes) {
            if (!c.durable()) {
                continue;
            }
            Map<Ipv4Address, Lease> scope = rows.computeIfAbsent(c.scopeId(), k -> new HashMap<>());
            if (c.after() == null) {
                scope.remove(c.address());
            } else {
                scope.put(c.address(), c.after());
            }
            if (c.event() != null) {
                events.add(c.event());
            }
        }
    }

    @Override
    public synchronized void apply(List<LeaseChange> changes, long journalPosition) {
        apply(changes);
        this.journalPosition = journalPosition;
    }

    @Override
    public synchronized long journalPosition() {
        return journalPosition;
    }

    @Override
    public synchronized UUID journalId() {
        return journalId;
    }

    @Override
    public synchronized boolean bindJournal(UUID expected, UUID id) {
        if (!Objects.equals(journalId, expected)) {
            return false;
        }
        journalId = id;
        return true;
    }

    private void check(LeaseChange c) {
        if (c.after() != null && !scopeExists.test(c.after().scopeId())) {
            throw new UnknownScopeException(c.after().scopeId(), "no scope " + c.after().scopeId()
                    + ": a lease row needs its scope", null);
        }
        if (c.after() != null && c.after().hostname() != null && c.after().hostname().length() > MAX_HOSTNAME) {
            throw new IllegalArgumentException("a host name has at most " + MAX_HOSTNAME + " characters");
        }
        LeaseEvent e = c.event();
        if (e != null && (e.scopeId() == null || e.address() == null || e.type() == null || e.at() == null)) {
            throw new IllegalArgumentException("an event needs a scope, an address, a type and a time: " + e);
        }
    }

    @Override
    public synchronized List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit) {
        return newestFirst().stream()
                .filter(e -> e.scopeId().equals(scopeId) && e.address().equals(address)).limit(limit).toList();
    }

    @Override
    public synchronized List<LeaseEvent> historyOf(MacAddress mac, int limit) {
        return newestFirst().stream().filter(e -> mac.equals(e.mac())).limit(limit).toList();
    }

    @Override
    public synchronized List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since,
            int limit) {
        return newestFirst().stream()
                .filter(e -> (scopeId == null || scopeId.equals(e.scopeId())) && (type == null || type == e.type())
                        && (mac == null || mac.equals(e.mac())) && (since == null || !e.at().isBefore(since)))
                .limit(limit).toList();
    }

    private List<LeaseEvent> newestFirst() {
        List<LeaseEvent> copy = new ArrayList<>(events);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Override
    public synchronized void deleteLeases(UUID scopeId) {
        rows.remove(scopeId);
    }

    /**
     * A view of this store whose {@code apply} writes with the epoch {@code writerEpoch} gives at each call: it
     * is refused with {@link FencedWriteException}, applying nothing, when {@code epochs} holds a higher one.
     * Reads and {@link #deleteLeases} are not fenced (as in {@code JdbcLeaseStore}).
     */
    public LeaseStore fenced(InMemoryLeaderEpochStore epochs, LongSupplier writerEpoch) {
        Objects.requireNonNull(epochs);
        Objects.requireNonNull(writerEpoch);
        InMemoryLeaseStore rows = this;
        return new LeaseStore() {
            @Override
            public List<Lease> leases(UUID scopeId) {
                return rows.leases(scopeId);
            }

            @Override
            public void forEachLease(Consumer<Lease> action) {
                rows.forEachLease(action);
            }

            @Override
            public void apply(List<LeaseChange> changes) {
                epochs.whileCurrent(writerEpoch.getAsLong(), () -> {
                    rows.apply(changes);
                    return null;
                });
            }

            @Override
            public void apply(List<LeaseChange> changes, long journalPosition) {
                epochs.whileCurrent(writerEpoch.getAsLong(), () -> {
                    rows.apply(changes, journalPosition);
                    return null;
                });
            }

            @Override
            public long journalPosition() {
                return rows.journalPosition();
            }

            @Override
            public UUID journalId() {
                return rows.journalId();
            }

            @Override
            public boolean bindJournal(UUID expected, UUID id) {
                return rows.bindJournal(expected, id);
            }

            @Override
            public List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit) {
                return rows.history(scopeId, address, limit);
            }

            @Override
            public List<LeaseEvent> historyOf(MacAddress mac, int limit) {
                return rows.historyOf(mac, limit);
            }

            @Override
            public List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since, int limit) {
                return rows.events(scopeId, type, mac, since, limit);
            }

            @Override
            public void deleteLeases(UUID scopeId) {
                rows.deleteLeases(scopeId);
            }
        };
    }
}
