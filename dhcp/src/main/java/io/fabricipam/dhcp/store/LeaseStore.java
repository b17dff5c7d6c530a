package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Durable lease rows (one per scope and address) and their event history. Implementations: in memory
 * for tests, JDBC (H2, PostgreSQL) in ipam-api. The contract suite is {@code LeaseStoreContract}.
 */
public interface LeaseStore {

    /** Every row of the scope, any state, in address order. */
    List<Lease> leases(UUID scopeId);

    /**
     * Every row of every scope, any state, in no particular order, each handed to {@code action} as it is read:
     * what the server loads to rebuild its in-memory state at start or failover. One pass over the store, so a
     * database reads its lease table once, in storage order, instead of once per scope through an index.
     */
    void forEachLease(Consumer<Lease> action);

    /**
     * Applies the durable changes of {@code changes} in order, in one transaction: when this returns,
     * all are committed and survive a crash (kill -9); when it throws, none is.
     */
    void apply(List<LeaseChange> changes);

    /**
     * As {@link #apply(List)}, and in the same transaction records that the lease journal's records up to
     * {@code journalPosition} are now in the store, so that a replay after a crash starts exactly after them.
     */
    void apply(List<LeaseChange> changes, long journalPosition);

    /** The journal position recorded by the last {@link #apply(List, long)}; 0 when none was. */
    long journalPosition();

    /** Events of one address, newest first. */
    List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit);

    /** Events of one MAC across scopes, newest first. */
    List<LeaseEvent> historyOf(MacAddress mac, int limit);

    /**
     * Events newest first, filtered by whichever of {@code scopeId}, {@code type}, {@code mac} and
     * {@code since} (inclusive) are not null.
     */
    List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since, int limit);

    /** Removes every lease row of a scope (its history stays, for audit). */
    void deleteLeases(UUID scopeId);
}
