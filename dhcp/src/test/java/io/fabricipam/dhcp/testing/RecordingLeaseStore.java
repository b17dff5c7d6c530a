package io.fabricipam.dhcp.testing;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory lease store that records the size of every batch it commits and can be told to fail, for
 * tests of what writes to a store (journals).
 */
public final class RecordingLeaseStore implements LeaseStore {

    public final List<Integer> batches = new CopyOnWriteArrayList<>();
    private final InMemoryLeaseStore store = new InMemoryLeaseStore();
    private volatile RuntimeException failure;

    /** Every apply throws {@code failure} until it is set back to null. */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    @Override
    public void apply(List<LeaseChange> changes) {
        check();
        store.apply(changes); // throws for a bad change: then the batch does not count
        batches.add(changes.size());
    }

    @Override
    public void apply(List<LeaseChange> changes, long journalPosition) {
        check();
        store.apply(changes, journalPosition);
        batches.add(changes.size());
    }

    private void check() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public long journalPosition() {
        return store.journalPosition();
    }

    @Override
    public List<Lease> leases(UUID scopeId) {
        return store.leases(scopeId);
    }

    @Override
    public void forEachLease(Consumer<Lease> action) {
        store.forEachLease(action);
    }

    @Override
    public List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit) {
        return store.history(scopeId, address, limit);
    }

    @Override
    public List<LeaseEvent> historyOf(MacAddress mac, int limit) {
        return store.historyOf(mac, limit);
    }

    @Override
    public List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since, int limit) {
        return store.events(scopeId, type, mac, since, limit);
    }

    @Override
    public void deleteLeases(UUID scopeId) {
        store.deleteLeases(scopeId);
    }
}
