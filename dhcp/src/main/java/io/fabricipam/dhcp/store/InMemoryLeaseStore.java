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
import java.util.UUID;
import java.util.function.Consumer;

/** A {@link LeaseStore} in memory, for tests and for running without a database. */
public final class InMemoryLeaseStore implements LeaseStore {

    /** The most DHCP option 12 carries; the JDBC stores' column is as wide. */
    static final int MAX_HOSTNAME = 255;

    private final Map<UUID, Map<Ipv4Address, Lease>> rows = new HashMap<>();
    private final List<LeaseEvent> events = new ArrayList<>();
    private long journalPosition;

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

    private static void check(LeaseChange c) {
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
}
