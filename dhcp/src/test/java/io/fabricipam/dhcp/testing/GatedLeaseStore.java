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

/**
 * An in-memory lease store whose operator writes ({@link #deleteLeases}) pass a {@link WriteGate}; the
 * journal's commits ({@code apply}) do not, so DHCP answers are not held by the gate.
 */
public final class GatedLeaseStore implements LeaseStore {

    public final WriteGate gate = new WriteGate();
    private final InMemoryLeaseStore store = new InMemoryLeaseStore();

    @Override
    public List<Lease> leases(UUID scopeId) {
        return store.leases(scopeId);
    }

    @Override
    public void forEachLease(java.util.function.Consumer<Lease> action) {
        store.forEachLease(action);
    }

    @Override
    public void apply(List<LeaseChange> changes) {
        store.apply(changes);
    }

    @Override
    public void apply(List<LeaseChange> changes, long journalPosition) {
        store.apply(changes, journalPosition);
    }

    @Override
    public long journalPosition() {
        return store.journalPosition();
    }

    @Override
    public UUID journalId() {
        return store.journalId();
    }

    @Override
    public boolean bindJournal(UUID expected, UUID id) {
        return store.bindJournal(expected, id);
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
        gate.pass();
        store.deleteLeases(scopeId);
    }
}
