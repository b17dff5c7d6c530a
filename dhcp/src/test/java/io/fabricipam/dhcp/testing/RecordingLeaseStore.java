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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Consumer;

/**
 * An in-memory lease store that records the size of every batch it commits and can be told to fail, to
 * refuse some changes as a database constraint would, or to hold every apply until released, for tests of
 * what writes to a store (journals).
 */
public final class RecordingLeaseStore implements LeaseStore {

    public final List<Integer> batches = new CopyOnWriteArrayList<>();
    private final InMemoryLeaseStore store;
    private volatile RuntimeException failure;
    private volatile Predicate<LeaseChange> refused;
    private volatile CountDownLatch held;

    /** A store that takes rows of any scope. */
    public RecordingLeaseStore() {
        this.store = new InMemoryLeaseStore();
    }

    /** A store that refuses rows of scopes for which {@code scopeExists} is false (UnknownScopeException). */
    public RecordingLeaseStore(Predicate<UUID> scopeExists) {
        this.store = new InMemoryLeaseStore(scopeExists);
    }

    /** Every apply throws {@code failure} until it is set back to null. */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    /**
     * An apply with a change matching {@code refused} throws {@link IllegalStateException} (as a violated
     * constraint does) and applies nothing; null accepts everything again (the cause is fixed).
     */
    public void refuse(Predicate<LeaseChange> refused) {
        this.refused = refused;
    }

    /** Every apply from now on waits until {@link #release()}. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public void apply(List<LeaseChange> changes) {
        check(changes);
        store.apply(changes); // throws for a bad change: then the batch does not count
        batches.add(changes.size());
    }

    @Override
    public void apply(List<LeaseChange> changes, long journalPosition) {
        check(changes);
        store.apply(changes, journalPosition);
        batches.add(changes.size());
    }

    private void check(List<LeaseChange> changes) {
        CountDownLatch h = held;
        if (h != null) {
            try {
                if (!h.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test store held for a minute: never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        Predicate<LeaseChange> r = refused;
        if (r != null) {
            for (LeaseChange c : changes) {
                if (c.durable() && r.test(c)) {
                    throw new IllegalStateException("check constraint violated by " + c.address());
                }
            }
        }
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
